"""Saves the models import.test feeds to lstm-import-torch."""
import os
import sys

import torch

out = sys.argv[1]
torch.manual_seed(0)
lstm = torch.nn.LSTM(3, 5, num_layers=2, batch_first=True,
                     bidirectional=True, proj_size=2).eval()
torch.save(lstm, os.path.join(out, "pickled.pt"))
torch.jit.save(torch.jit.script(lstm), os.path.join(out, "scripted.pt"))
with torch.no_grad():
    traced = torch.jit.trace(lstm, torch.randn(2, 4, 3), check_trace=False)
torch.jit.save(traced, os.path.join(out, "traced.pt"))
torch.save(torch.nn.GRU(3, 5), os.path.join(out, "gru.pt"))
torch.save(lstm.state_dict(), os.path.join(out, "state_dict.pt"))
torch.save(torch.nn.LSTM(3, 5).double(), os.path.join(out, "float64.pt"))
with open(os.path.join(out, "pickled.pt"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "corrupt.pt"), "wb") as f:
    f.write(data[: len(data) // 2])


class Payload:
    """A pickle that, loaded, creates a file: what a malicious .pt does."""

    def __reduce__(self):
        return (open, (os.path.join(out, "payload-ran"), "w"))


torch.save(Payload(), os.path.join(out, "payload.pt"))
