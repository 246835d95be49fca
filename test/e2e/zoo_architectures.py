"""Small but faithful versions of real LSTM architectures, for model_zoo.py.

Each class follows the forward of its public source (named in its
docstring), with small default sizes so that a model compiles in seconds,
and with what an exported model cannot have taken out: no PackedSequence,
no tuple state arguments (states are separate tensors), no training-only
branches. They live in their own module so that pickled copies
(torch.save(model)) can name their classes when lstm-import-torch loads
them.
"""

import torch
import torch.nn.functional as F
from torch import nn


class WordLanguageModel(nn.Module):
    """pytorch/examples word_language_model/model.py, RNNModel('LSTM', ...):
    Embedding -> Dropout -> LSTM (dropout between layers) -> Dropout ->
    Linear decoder -> view(-1, ntoken) -> log-softmax, and the final state.
    The example's forward takes and returns hidden = (h, c); here they are
    separate tensors. init_weights as in the example; tie_weights shares the
    decoder's weight with the encoder's (the example's --tied). With
    flatten=False the decoded scores keep their (T, N, ntoken) shape (the
    log-softmax over the last dimension, as the example's over dim 1 of the
    (T * N, ntoken) view)."""

    # Constants, so that TorchScript keeps only the branch taken.
    __constants__ = ["flatten"]

    def __init__(self, ntoken=50, ninp=16, nhid=16, nlayers=2, dropout=0.5,
                 tie_weights=True, flatten=True):
        super().__init__()
        self.ntoken = ntoken
        self.flatten = flatten
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            if nhid != ninp:
                raise ValueError("When using the tied flag, nhid must be "
                                 "equal to emsize")
            self.decoder.weight = self.encoder.weight
        self.nhid, self.nlayers = nhid, nlayers
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, input, h0, c0):
        emb = self.drop(self.encoder(input))
        output, (h, c) = self.rnn(emb, (h0, c0))
        output = self.drop(output)
        decoded = self.decoder(output)
        if self.flatten:
            decoded = decoded.view(-1, self.ntoken)
            return F.log_softmax(decoded, dim=1), h, c
        return F.log_softmax(decoded, dim=-1), h, c


class BidirectionalLSTM(nn.Module):
    """crnn.pytorch models/crnn.py: a BiLSTM and a Linear on every step."""

    def __init__(self, nIn, nHidden, nOut):
        super().__init__()
        self.rnn = nn.LSTM(nIn, nHidden, bidirectional=True)
        self.embedding = nn.Linear(nHidden * 2, nOut)

    def forward(self, input):
        recurrent, _ = self.rnn(input)
        T, b, h = recurrent.size()
        t_rec = recurrent.view(T * b, h)
        output = self.embedding(t_rec)  # [T * b, nOut]
        output = output.view(T, b, -1)
        return output


class CRNN(nn.Module):
    """Shi, Bai and Yao, "An End-to-End Trainable Neural Network for
    Image-based Sequence Recognition" (CRNN), as in meijieru/crnn.pytorch
    models/crnn.py: seven 3x3 (the last 2x2) Conv2d + ReLU, BatchNorm2d on
    three, MaxPool2d(2, 2) twice then MaxPool2d((2, 2), (2, 1), (0, 1))
    twice, so that a 32-pixel-high image ends 1 high; squeeze(2),
    permute to (W, N, C), two BidirectionalLSTMs. The channel counts are
    the paper's [64, 128, 256, 256, 512, 512, 512] divided by 8."""

    def __init__(self, imgH=32, nc=1, nclass=11, nh=16, leakyRelu=False,
                 nm=(8, 16, 32, 32, 64, 64, 64)):
        super().__init__()
        assert imgH % 16 == 0, 'imgH has to be a multiple of 16'
        ks = [3, 3, 3, 3, 3, 3, 2]
        ps = [1, 1, 1, 1, 1, 1, 0]
        ss = [1, 1, 1, 1, 1, 1, 1]
        cnn = nn.Sequential()

        def convRelu(i, batchNormalization=False):
            nIn = nc if i == 0 else nm[i - 1]
            nOut = nm[i]
            cnn.add_module('conv{0}'.format(i),
                           nn.Conv2d(nIn, nOut, ks[i], ss[i], ps[i]))
            if batchNormalization:
                cnn.add_module('batchnorm{0}'.format(i), nn.BatchNorm2d(nOut))
            if leakyRelu:
                cnn.add_module('relu{0}'.format(i),
                               nn.LeakyReLU(0.2, inplace=True))
            else:
                cnn.add_module('relu{0}'.format(i), nn.ReLU(True))

        convRelu(0)
        cnn.add_module('pooling{0}'.format(0), nn.MaxPool2d(2, 2))  # 16x64
        convRelu(1)
        cnn.add_module('pooling{0}'.format(1), nn.MaxPool2d(2, 2))  # 8x32
        convRelu(2, True)
        convRelu(3)
        cnn.add_module('pooling{0}'.format(2),
                       nn.MaxPool2d((2, 2), (2, 1), (0, 1)))  # 4x16
        convRelu(4, True)
        convRelu(5)
        cnn.add_module('pooling{0}'.format(3),
                       nn.MaxPool2d((2, 2), (2, 1), (0, 1)))  # 2x16
        convRelu(6, True)  # 1x16
        self.cnn = cnn
        self.rnn = nn.Sequential(
            BidirectionalLSTM(nm[6], nh, nh),
            BidirectionalLSTM(nh, nh, nclass))
        randomize_batch_norms(self)

    def forward(self, input):
        # conv features
        conv = self.cnn(input)
        b, c, h, w = conv.size()
        assert h == 1, "the height of conv must be 1"
        conv = conv.squeeze(2)
        conv = conv.permute(2, 0, 1)  # [w, b, c]
        # rnn features
        output = self.rnn(conv)
        return output


class DeepSpeech2(nn.Module):
    """Amodei et al., "Deep Speech 2", as in SeanNaren/deepspeech.pytorch
    deepspeech_pytorch/model.py: two Conv2d (stride (2, 2) then (2, 1),
    'same' padding) each with BatchNorm2d and Hardtanh(0, 20) over the
    spectrogram (N, 1, F, T); the features collapsed, x.view(N, C * F, T),
    and moved to (T, N, C * F); bidirectional LSTMs whose directions are
    summed (BatchRNN, the first without its BatchNorm1d); a
    SequenceWise(BatchNorm1d, Linear) head and softmax
    (InferenceBatchSoftmax in eval()). Kernels (11, 5) for the source's
    (41, 11) and (21, 11); no MaskConv or packing (full-length
    sequences)."""

    def __init__(self, freq=32, channels=8, hidden=16, layers=2, classes=12):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, channels, kernel_size=(11, 5), stride=(2, 2),
                      padding=(5, 2)),
            nn.BatchNorm2d(channels),
            nn.Hardtanh(0.0, 20.0, inplace=True),
            nn.Conv2d(channels, channels, kernel_size=(11, 5), stride=(2, 1),
                      padding=(5, 2)),
            nn.BatchNorm2d(channels),
            nn.Hardtanh(0.0, 20.0, inplace=True),
        )
        rnn_input_size = (freq + 2 * 5 - 11) // 2 + 1
        rnn_input_size = (rnn_input_size + 2 * 5 - 11) // 2 + 1
        rnn_input_size *= channels
        self.rnns = nn.Sequential(*[
            BatchRNN(rnn_input_size if i == 0 else hidden, hidden,
                     batch_norm=i > 0) for i in range(layers)])
        self.fc = nn.Sequential(nn.BatchNorm1d(hidden),
                                nn.Linear(hidden, classes, bias=False))
        randomize_batch_norms(self)

    def forward(self, x):
        x = self.conv(x)
        sizes = x.size()
        # Collapse feature dimension
        x = x.view(sizes[0], sizes[1] * sizes[2], sizes[3])
        x = x.transpose(1, 2).transpose(0, 1).contiguous()  # TxNxH
        x = self.rnns(x)
        # SequenceWise: (T, N, H) -> (T * N, H) -> module -> (T, N, H')
        t, n = x.size(0), x.size(1)
        x = self.fc(x.view(t * n, -1)).view(t, n, -1)
        x = x.transpose(0, 1)
        return F.softmax(x, dim=-1)


class BatchRNN(nn.Module):
    """deepspeech.pytorch's BatchRNN without packing: optional
    SequenceWise(BatchNorm1d), a bidirectional LSTM, directions summed."""

    def __init__(self, input_size, hidden_size, batch_norm=True):
        super().__init__()
        self.batch_norm = nn.BatchNorm1d(input_size) if batch_norm else None
        self.rnn = nn.LSTM(input_size, hidden_size, bidirectional=True,
                           bias=True)

    def forward(self, x):
        if self.batch_norm is not None:
            t, n = x.size(0), x.size(1)
            x = self.batch_norm(x.view(t * n, -1)).view(t, n, -1)
        x, _ = self.rnn(x)
        # (TxNxH*2) -> (TxNxH) by sum
        x = x.view(x.size(0), x.size(1), 2, -1).sum(2).view(
            x.size(0), x.size(1), -1)
        return x


class Tacotron2Encoder(nn.Module):
    """NVIDIA/tacotron2 model.py: the text embedding (transposed to
    (N, C, T), as Tacotron2.inference does) and Encoder.inference: three
    ConvNorm (Conv1d, kernel 5, padding 2) + BatchNorm1d, each followed by
    F.dropout(F.relu(.), 0.5, self.training); transpose to (N, T, C); a
    batch-first BiLSTM of half the width. Sizes 512/256 divided by 32; no
    flatten_parameters() (a cuDNN call that TorchScript cannot compile)."""

    def __init__(self, n_symbols=40, embedding_dim=16, n_convolutions=3,
                 kernel_size=5):
        super().__init__()
        self.embedding = nn.Embedding(n_symbols, embedding_dim)
        convolutions = []
        for _ in range(n_convolutions):
            conv_layer = nn.Sequential(
                nn.Conv1d(embedding_dim, embedding_dim,
                          kernel_size=kernel_size, stride=1,
                          padding=int((kernel_size - 1) / 2), dilation=1,
                          bias=True),
                nn.BatchNorm1d(embedding_dim))
            convolutions.append(conv_layer)
        self.convolutions = nn.ModuleList(convolutions)
        self.lstm = nn.LSTM(embedding_dim, int(embedding_dim / 2), 1,
                            batch_first=True, bidirectional=True)
        randomize_batch_norms(self)

    def forward(self, text_inputs):
        x = self.embedding(text_inputs).transpose(1, 2)
        for conv in self.convolutions:
            x = F.dropout(F.relu(conv(x)), 0.5, self.training)
        x = x.transpose(1, 2)
        outputs, _ = self.lstm(x)
        return outputs


class LuongAttentionDecoderStep(nn.Module):
    """One step of a Luong-style ("dot" score) attention decoder, as in the
    PyTorch chatbot tutorial's LuongAttnDecoderRNN with an LSTMCell for its
    GRU and batch-first encoder outputs: embed the input token, one LSTMCell
    step, scores = bmm(encoder_outputs, h), softmax over time, context =
    bmm(weights, encoder_outputs), tanh(Linear(cat(h, context))), Linear,
    softmax. Returns the word scores and the new (h, c)."""

    def __init__(self, vocab=30, embedding_dim=12, hidden=16, dropout=0.1):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding_dim)
        self.embedding_dropout = nn.Dropout(dropout)
        self.cell = nn.LSTMCell(embedding_dim, hidden)
        self.concat = nn.Linear(hidden * 2, hidden)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, input_step, h, c, encoder_outputs):
        embedded = self.embedding_dropout(self.embedding(input_step))
        h, c = self.cell(embedded, (h, c))
        # (N, S, H) x (N, H, 1) -> (N, S)
        scores = torch.bmm(encoder_outputs, h.unsqueeze(2)).squeeze(2)
        attn_weights = F.softmax(scores, dim=1)
        # (N, 1, S) x (N, S, H) -> (N, H)
        context = torch.bmm(attn_weights.unsqueeze(1),
                            encoder_outputs).squeeze(1)
        concat_output = torch.tanh(self.concat(torch.cat((h, context), 1)))
        output = F.softmax(self.out(concat_output), dim=1)
        return output, h, c


class RNNTPredictor(nn.Module):
    """The prediction network of an RNN transducer (Graves 2012; the
    layout of torchaudio's and NeMo's RNN-T predictors): label Embedding ->
    LSTM (batch first) -> LayerNorm -> Linear to the joint network's
    width."""

    def __init__(self, vocab=32, embedding_dim=12, hidden=16, layers=2,
                 joint=20):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden, layers, batch_first=True)
        self.norm = nn.LayerNorm(hidden)
        self.linear = nn.Linear(hidden, joint)
        randomize_layer_norms(self)

    def forward(self, targets):
        output, _ = self.lstm(self.embedding(targets))
        return self.linear(self.norm(output))


class ResidualBlock(nn.Module):
    """x + LSTM(LayerNorm(x)): a pre-norm residual LSTM layer."""

    def __init__(self, size):
        super().__init__()
        self.norm = nn.LayerNorm(size)
        self.lstm = nn.LSTM(size, size)

    def forward(self, x):
        y, _ = self.lstm(self.norm(x))
        return x + y


class ResidualLSTMStack(nn.Module):
    """A GNMT-style stack (Wu et al. 2016: residual connections between
    stacked LSTM layers), pre-norm as later GNMT variants do: x + LSTM(
    LayerNorm(x)) three times, then a final LayerNorm."""

    def __init__(self, size=16, layers=3):
        super().__init__()
        self.blocks = nn.ModuleList(ResidualBlock(size)
                                    for _ in range(layers))
        self.norm = nn.LayerNorm(size)
        randomize_layer_norms(self)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.norm(x)


class ConvKeywordSpotter(nn.Module):
    """A convolutional-recurrent keyword spotter (Arik et al. 2017,
    "Convolutional Recurrent Neural Networks for Small-Footprint Keyword
    Spotting"):
    Conv1d over the log-mel features (N, F, T), BatchNorm1d, LeakyReLU,
    transpose to (N, T, C), a batch-first LSTM, the last step, Linear."""

    def __init__(self, features=20, channels=16, hidden=24, keywords=10):
        super().__init__()
        self.conv = nn.Conv1d(features, channels, kernel_size=5, stride=2,
                              padding=2)
        self.bn = nn.BatchNorm1d(channels)
        self.act = nn.LeakyReLU(0.1)
        self.lstm = nn.LSTM(channels, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, keywords)
        randomize_batch_norms(self)

    def forward(self, x):
        x = self.act(self.bn(self.conv(x)))
        x = x.transpose(1, 2)
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


class LSTMAutoencoder(nn.Module):
    """A sequence autoencoder (Srivastava et al. 2015; the layout of the
    common PyTorch tutorials): encoder LSTM, its last layer's final h
    repeated over the T steps (x.repeat in the tutorials; `expand`
    as the alternative), decoder LSTM, Linear back to the features. All
    batch first."""

    __constants__ = ["use_expand"]

    def __init__(self, features=6, embedding=8, hidden=12, use_expand=False):
        super().__init__()
        self.use_expand = use_expand
        self.encoder = nn.LSTM(features, embedding, batch_first=True)
        self.decoder = nn.LSTM(embedding, hidden, batch_first=True)
        self.output_layer = nn.Linear(hidden, features)

    def forward(self, x):
        _, (h, _) = self.encoder(x)
        z = h[-1].unsqueeze(1)  # (N, 1, E)
        if self.use_expand:
            z = z.expand(-1, x.size(1), -1)
        else:
            z = z.repeat(1, x.size(1), 1)
        y, _ = self.decoder(z)
        return self.output_layer(y)


def randomize_batch_norms(model):
    """Gives every BatchNorm non-trivial running statistics and affine
    parameters, as a trained model has (fresh ones are the identity)."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)


def randomize_layer_norms(model):
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
