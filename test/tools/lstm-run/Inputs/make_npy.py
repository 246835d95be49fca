"""Writes the good and bad .npy files errors.test feeds to lstm-run."""
import os
import sys

import numpy as np

out = sys.argv[1]
x = np.ones((5, 3, 4), np.float32)


def save(name, array):
    np.save(os.path.join(out, name), array)


save("x.npy", x)
save("x1.npy", x[:, 0, :].copy())
save("h0.npy", np.zeros((1, 3, 8), np.float32))
save("h0_batch2.npy", np.zeros((1, 2, 8), np.float32))
save("float64.npy", x.astype(np.float64))
save("int64.npy", x.astype(np.int64))
save("rank4.npy", x.reshape(5, 3, 4, 1))
save("features5.npy", np.ones((5, 3, 5), np.float32))
save("fortran.npy", np.asfortranarray(x))
save("len_zero.npy", np.array([5, 0, 2]))
save("len_long.npy", np.array([5, 1, 6]))
save("len_one.npy", np.array([5]))
with open(os.path.join(out, "x.npy"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "truncated.npy"), "wb") as f:
    f.write(data[:len(data) - 7])
