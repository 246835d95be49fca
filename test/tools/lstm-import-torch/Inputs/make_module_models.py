"""Saves the module trees modules.test and module-errors.test feed to
lstm-import-torch."""
import os
import sys
from typing import Tuple

import torch
from torch import nn

out = sys.argv[1]
torch.manual_seed(0)


def save(name, module):
    torch.jit.save(module, os.path.join(out, name + ".pt"))


class Spotter(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(10, 16, num_layers=2, batch_first=True)
        self.head = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Dropout(),
                                  nn.Linear(8, 4))

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return torch.log_softmax(self.head(h[-1]), dim=-1)


class Cell(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.LSTMCell(5, 7)

    def forward(self, x, h, c):
        return self.cell(x, (h, c))


class WithGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(3, 4)

    def forward(self, x):
        return self.rnn(x)[0]


class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        if bool(x.mean() > 0):
            return self.fc(x)
        return x


class Steps(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.LSTMCell(3, 4)

    def forward(self, x):
        h = torch.zeros(x.size(1), 4)
        c = torch.zeros(x.size(1), 4)
        for t in range(x.size(0)):
            h, c = self.cell(x[t], (h, c))
        return h


class Unused(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x, y):
        return self.fc(x)


class Norm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 4)

    def forward(self, x):
        o, _ = self.lstm(x)
        return nn.functional.group_norm(o, 1)


class TupleArgument(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 4)

    def forward(self, x, hx: Tuple[torch.Tensor, torch.Tensor]):
        return self.lstm(x, hx)[0]


def leaky(x):
    return torch.where(x > 0, x, 0.1 * x)


class UserFunction(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        return leaky(self.fc(x))


class InPlaceOnView(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 4)

    def forward(self, x):
        o, _ = self.lstm(x)
        last = o[-1]
        last += 1.0
        return o


class SqueezeAll(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return h.squeeze()


class MergeView(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 4)

    def forward(self, x):
        o, _ = self.lstm(x)
        return o.view(-1, 4)


save("spotter", torch.jit.script(Spotter().eval()))
save("merge_view", torch.jit.script(MergeView().eval()))
save("tuple_argument", torch.jit.script(TupleArgument().eval()))
save("user_function", torch.jit.script(UserFunction().eval()))
save("in_place_on_view", torch.jit.script(InPlaceOnView().eval()))
save("squeeze_all", torch.jit.script(SqueezeAll().eval()))
save("spotter_traced", torch.jit.trace(Spotter().eval(),
                                       torch.randn(2, 5, 10)))
save("cell", torch.jit.script(Cell().eval()))
save("gru", torch.jit.script(WithGRU().eval()))
save("deconv",
     torch.jit.script(nn.Sequential(nn.ConvTranspose1d(3, 3, 1), nn.ReLU())))
save("branchy", torch.jit.script(Branchy().eval()))
save("steps", torch.jit.script(Steps().eval()))
save("unused", torch.jit.script(Unused().eval()))
save("norm", torch.jit.trace(Norm().eval(), torch.randn(2, 1, 3)))
save("training", torch.jit.trace(nn.Sequential(nn.Linear(3, 3),
                                               nn.Dropout()).train(),
                                 torch.randn(2, 3), check_trace=False))
# A pickle names its class, defined in this script: not importable later.
torch.save(Unused(), os.path.join(out, "unimportable.pt"))


class ConvFront(nn.Module):
    """Conv1d + BatchNorm1d + Hardtanh, max pooling in ceil mode, LSTM."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 4, 5, padding=2)
        self.bn = nn.BatchNorm1d(4)
        self.act = nn.Hardtanh(0.0, 20.0)
        self.pool = nn.MaxPool1d(2, ceil_mode=True)
        self.norm = nn.LayerNorm(4)
        self.lstm = nn.LSTM(4, 5, batch_first=True)

    def forward(self, x):
        y = self.pool(self.act(self.bn(self.conv(x))))
        out, _ = self.lstm(self.norm(y.transpose(1, 2)))
        return out[:, -1]


save("conv_front", torch.jit.script(ConvFront().eval()))


class TensorOps(nn.Module):
    """repeat (tiled and broadcast), masked_fill of a comparison."""

    def forward(self, x):
        y = x.repeat(1, 2, 1).masked_fill(x.repeat(1, 2, 1) > 0.5, -1e9)
        return y, x[:, :1].repeat(1, 1, 1).expand(-1, 3, -1)


class RepeatDynamic(nn.Module):
    def forward(self, x):
        return x.repeat(2, 1)


class MaskedFillTensor(nn.Module):
    def forward(self, x):
        return x.masked_fill(x > 0, x.sum())


class BoolOutput(nn.Module):
    def forward(self, x):
        return x > 0


save("tensor_ops", torch.jit.script(TensorOps().eval()))
save("bool_output", torch.jit.script(BoolOutput().eval()))
save("repeat_dynamic", torch.jit.script(RepeatDynamic().eval()))
save("masked_fill_tensor", torch.jit.script(MaskedFillTensor().eval()))
