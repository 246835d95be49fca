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


def raw(name, header, data=b""):
    """A version 1 .npy file with the header dict `header`, as written."""
    text = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little")
                + text.encode() + data)


# Headers that lie about their sizes, or are not numpy's.
raw("overflow.npy", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (1, 4611686018427387904, 4), }", b"\0" * 16)
raw("huge.npy", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (4611686018427387904, 4, 4), }", b"\0" * 16)
raw("claims.npy", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (2000000000, 4, 4), }", b"\0" * 16)
raw("float_dim.npy", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (5, 3.4), }", b"\0" * 60)
raw("quoted_dim.npy", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (5, 'a3', 4), }", b"\0" * 240)
raw("negative_dim.npy", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (5, -3, 4), }", b"\0" * 240)
raw("extra_key.npy", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (5, 3, 4), 'x': 1, }", b"\0" * 240)
# Valid and empty, but its batch makes the outputs huge.
save("empty_huge_batch.npy", np.zeros((0, 100000000000, 4), np.float32))
