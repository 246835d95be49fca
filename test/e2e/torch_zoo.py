"""Models of the shapes users bring, for torch_models.py. They live in their
own module so that pickled copies (torch.save(model)) can name their classes
when lstm-import-torch loads them."""

import torch
import torch.nn.functional as F
from torch import nn


class Spotter(nn.Module):
    """Keyword spotting: features -> LSTM -> last layer's h -> MLP ->
    log-softmax."""

    def __init__(self, features, hidden, layers, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, num_layers=layers,
                            batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Sequential(nn.Linear(hidden, 16), nn.ReLU(),
                                  nn.Dropout(0.1), nn.Linear(16, classes))
        self.out = nn.LogSoftmax(dim=-1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(self.head(self.drop(h[-1])))


class Tagger(nn.Module):
    """Tokens -> Embedding -> bidirectional LSTM -> Linear per step ->
    softmax."""

    def __init__(self, vocab, features, hidden, classes):
        super().__init__()
        self.emb = nn.Embedding(vocab, features)
        self.lstm = nn.LSTM(features, hidden, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, classes)
        self.out = nn.Softmax(dim=-1)

    def forward(self, tokens):
        o, _ = self.lstm(self.emb(tokens))
        return self.out(self.fc(o))


class BiClassifier(nn.Module):
    """Both directions' final h of a 2-layer bidirectional LSTM,
    concatenated -> Linear -> sigmoid."""

    def __init__(self, features, hidden, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, num_layers=2,
                            bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, classes)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return torch.sigmoid(self.fc(torch.cat((h[-2], h[-1]), dim=1)))


class LayerView(nn.Module):
    """h_n viewed as (layers, directions, batch, hidden), the last layer's
    two directions concatenated -> Linear."""

    def __init__(self, features, hidden, classes):
        super().__init__()
        self.hidden = hidden
        self.lstm = nn.LSTM(features, hidden, num_layers=2,
                            bidirectional=True)
        self.fc = nn.Linear(2 * hidden, classes)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        last = h.view(2, 2, x.size(1), self.hidden)[-1]
        return self.fc(torch.cat((last[0], last[1]), dim=1))


class MeanPool(nn.Module):
    """An LSTM with proj_size, averaged over time -> Linear -> Tanh ->
    GELU."""

    def __init__(self, features, hidden, proj, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, proj_size=proj)
        self.fc = nn.Linear(proj, classes)
        self.act = nn.Sequential(nn.Tanh(), nn.GELU())

    def forward(self, x):
        o, _ = self.lstm(x)
        return self.act(self.fc(o.mean(dim=0)))


class LastStep(nn.Module):
    """The last time step's output -> Linear -> arithmetic with Python
    numbers (0-d tensors once traced) -> Flatten -> log-softmax."""

    def __init__(self, features, hidden, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, classes)
        self.flat = nn.Flatten()

    def forward(self, x):
        o, _ = self.lstm(x)
        y = self.fc(o[:, -1])
        z = F.gelu(y) + torch.tanh(y) * 2.0 - y / 3.0
        return F.log_softmax(self.flat(z.unsqueeze(2)), dim=1)


class Ends(nn.Module):
    """The first and last steps' outputs concatenated -> Linear -> view."""

    def __init__(self, features, hidden, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden)
        self.fc = nn.Linear(2 * hidden, classes)

    def forward(self, x):
        o, _ = self.lstm(x)
        return self.fc(torch.cat([o[0], o[-1]], dim=-1)).view(o.size(1), -1)


class InPlaceHead(nn.Module):
    """In-place ops in a head: nn.ReLU(inplace=True) in a Sequential, +=,
    and a relu_ whose result aliases its input; one output twice."""

    def __init__(self, features, hidden, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden)
        self.head = nn.Sequential(nn.Linear(hidden, classes),
                                  nn.ReLU(inplace=True))

    def forward(self, x):
        o, _ = self.lstm(x)
        y = self.head(o)
        y += 1.0
        z = y.relu_()
        z.mul_(2.0)
        return y, z, y


class Streaming(nn.Module):
    """A model that carries its state between calls: (x, h0, c0) ->
    (scores, h_n, c_n)."""

    def __init__(self, features, hidden, classes):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, num_layers=2)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x, h0, c0):
        o, (h, c) = self.lstm(x, (h0, c0))
        return torch.relu(self.fc(o)), h, c


class CellLoop(nn.Module):
    """An nn.LSTMCell stepped over time by hand."""

    def __init__(self, features, hidden, classes):
        super().__init__()
        self.hidden = hidden
        self.cell = nn.LSTMCell(features, hidden)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x):
        h = torch.zeros(x.size(1), self.hidden)
        c = torch.zeros(x.size(1), self.hidden)
        for t in range(x.size(0)):
            h, c = self.cell(x[t], (h, c))
        return torch.log_softmax(self.fc(h), dim=-1)


class TensorOps(nn.Module):
    """The tensor ops of real forwards around an LSTM: an attention over
    time with masked_fill (its mask also counted) and expand_as,
    split/stack/unbind of the context,
    repeat (broadcast and tiled), requires_grad_."""

    def __init__(self, features, hidden):
        super().__init__()
        self.hidden = hidden
        self.lstm = nn.LSTM(features, hidden, batch_first=True)

    def forward(self, x):
        o, (h, _) = self.lstm(x)                   # (N, T, H), (1, N, H)
        q = h.transpose(0, 1)                      # (N, 1, H)
        scores = torch.bmm(o, q.transpose(1, 2))   # (N, T, 1)
        mask = scores < -0.1                       # read twice
        weights = torch.softmax(scores.masked_fill(mask, -1e9), dim=1)
        masked = mask.float().sum(1)               # (N, 1)
        context = (weights.expand_as(o) * o).sum(1)          # (N, H)
        a, b = context.split(self.hidden // 2, dim=1)
        first, second = torch.stack([b, a], dim=-1).unbind(-1)
        bias = torch.zeros_like(context).requires_grad_()
        mixed = torch.cat([first, second], 1) + a.repeat(1, 2) + bias
        tiled = q.repeat(1, 3, 1).sum(1)                      # (N, H)
        return mixed * tiled + masked, q.expand_as(o)


def mlp(features, classes):
    """A Sequential with no LSTM: the layers around LSTMs on their own."""
    return nn.Sequential(nn.Linear(features, 12), nn.Sigmoid(),
                         nn.Linear(12, classes), nn.Softmax(dim=-1))


def stacked(features, hidden):
    """nn.Sequential(nn.LSTM): its outputs are output, h_n and c_n."""
    return nn.Sequential(nn.LSTM(features, hidden, num_layers=2))
