"""Tokenizers: turn text into a sequence of integer ids, and the ids back into text.

A language model cannot read letters; it reads numbers. A *token* is one piece of text that
the model treats as a single symbol, and the tokenizer gives every possible token an integer
id. Text becomes a list of ids (encode), the model predicts the next id, and the ids become
text again (decode). The set of all tokens is the vocabulary; its size V is the number of
rows of the model's embedding table and the number of scores the model outputs per step.

CharTokenizer: one token per character of a training text. Simple and readable, but it
knows only the characters it has seen, and sequences are as long as the text.

BPETokenizer: byte-level byte-pair encoding, the scheme GPT-2 uses. It starts from the 256
possible byte values, so every string is representable (write it as UTF-8 bytes): there is
no "unknown" token, and emoji or Chinese text simply cost more tokens. Training then
repeats one step, a *merge*: find the most frequent adjacent pair of tokens in the training
text and make that pair a new token. Frequent pieces such as " the" end up as one token,
so the same text needs fewer tokens.

Worked example on "aaabdaaabac" (ids: a=97, b=98, c=99, d=100):
    count adjacent pairs: aa 4, ab 2, bd 1, da 1, ba 1, ac 1
    merge 1: (97, 97) "aa" -> 256      text: [aa] a b d [aa] a b a c
    merge 2: (97, 98) "ab" -> 257      text: [aa] [ab] d [aa] [ab] a c
             (ties: "ab" and "aa a" both occur twice; the smaller pair (97, 98) wins)
    merge 3: (256, 257) "aaab" -> 258  text: [aaab] d [aaab] a c
11 bytes became 5 tokens. Encoding new text replays the merges in the order learned.
"""

import re
from collections import Counter, defaultdict

import numpy as np

# GPT-2-style pre-split, with the stdlib `re` only: contractions, words with their leading
# space, runs of digits, runs of other symbols, and whitespace. [^\W\d_] is "a letter".
# Merges never cross a chunk border, so " dog." cannot become one token.
SPLIT_PATTERN = r"""'(?:s|t|re|ve|m|ll|d)| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+"""


def split_into_chunks(text, pattern=SPLIT_PATTERN):
    """Cut text into the chunks BPE works on; "".join(chunks) == text.

    "Hello world!!" -> ["Hello", " world", "!!"]
    """
    return re.findall(pattern, text)


def _check_ids(ids, vocab_size, name):
    """Return ids as a 1-D int64 array, or raise ValueError naming the bad id."""
    ids = np.asarray(ids)
    if ids.size == 0:
        return ids.reshape(0).astype(np.int64)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(
            f"{name}.decode expects a 1-D sequence of integer ids, "
            f"got an array of shape {ids.shape} and dtype {ids.dtype}"
        )
    bad = ids[(ids < 0) | (ids >= vocab_size)]
    if bad.size:
        raise ValueError(
            f"{name}.decode got id {int(bad[0])}, outside the vocabulary: "
            f"ids must be in 0..{vocab_size - 1} (vocab_size {vocab_size})"
        )
    return ids.astype(np.int64)


def _check_state(state, kind, keys):
    """Raise unless state looks like what kind.state() returns: a dict of that type with keys."""
    if not isinstance(state, dict):
        raise TypeError(
            f"{kind}.from_state expects the dict {kind}.state() returned, "
            f"got {type(state).__name__}"
        )
    if state.get("type") != kind:
        raise ValueError(f"expected a {kind} state, got type {state.get('type')!r}")
    for key in keys:
        if key not in state:
            raise ValueError(
                f"the {kind} state has no {key!r} entry: it was not written by "
                f"{kind}.state(), or was altered"
            )


def _pairs(ids):
    """The adjacent pairs of a token list: [1, 2, 3] -> (1, 2), (2, 3)."""
    return zip(ids[:-1], ids[1:], strict=True)


def _merge(ids, pair, new_id):
    """Replace every occurrence of pair in ids, left to right, by new_id.

    [97, 97, 97, 98], (97, 97), 256 -> [256, 97, 98]  (the left "aa" wins in "aaa")
    """
    out = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


class CharTokenizer:
    """One token per character: the vocabulary is the sorted set of a text's characters.

    Sorting makes the ids deterministic: the same text always gives the same ids.
    tok = CharTokenizer("hello")  ->  chars ['e', 'h', 'l', 'o'], vocab_size 4
    tok.encode("hole") -> [1, 3, 2, 0];  tok.decode([1, 3, 2, 0]) -> "hole"
    """

    def __init__(self, text):
        if not isinstance(text, str):
            raise TypeError(f"CharTokenizer expects a str, got {type(text).__name__}")
        self.chars = sorted(set(text))
        self.vocab_size = len(self.chars)
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}  # character -> id

    def encode(self, s):
        """Map each character of s to its id. s: str of length T -> ids: (T,) np.intp.

        np.intp is the integer numpy indexes with (int64 on a 64-bit machine, int32 in the
        browser edition), so np.bincount and fancy indexing take the ids without a cast.

        Raises ValueError naming the characters that are not in the vocabulary.
        """
        try:
            return np.array([self.stoi[ch] for ch in s], dtype=np.intp)
        except KeyError:
            unknown = list(dict.fromkeys(ch for ch in s if ch not in self.stoi))
            shown = ", ".join(repr(ch) for ch in unknown[:10])
            more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
            vocab = "".join(self.chars)
            vocab = repr(vocab) if len(vocab) <= 60 else repr(vocab[:60]) + "..."
            raise ValueError(
                f"CharTokenizer cannot encode {len(unknown)} unknown character(s): "
                f"{shown}{more}. The vocabulary (the characters of the training text, "
                f"vocab_size {self.vocab_size}) is {vocab}"
            ) from None

    def decode(self, ids):
        """Map ids back to characters and join them. ids: (T,) ints -> str of length T."""
        ids = _check_ids(ids, self.vocab_size, "CharTokenizer")
        return "".join(self.chars[i] for i in ids)

    def state(self):
        """Plain JSON-able data from which from_state rebuilds this tokenizer."""
        return {"type": "CharTokenizer", "chars": "".join(self.chars)}

    @classmethod
    def from_state(cls, state):
        """Rebuild a tokenizer from state(): the vocabulary is the characters of "chars"."""
        _check_state(state, "CharTokenizer", ["chars"])
        return cls(state["chars"])

    def __repr__(self):
        return f"CharTokenizer(vocab_size={self.vocab_size})"


class BPETokenizer:
    """Byte-level byte-pair encoding: 256 byte tokens plus one new token per learned merge.

    merges: ordered list of ((a, b), new_id); merge k (counting from 0) has new_id = 256 + k
            and means "the token a followed by the token b becomes the token new_id".
    vocab:  dict id -> bytes; vocab[new_id] = vocab[a] + vocab[b].
    vocab_size = 256 + len(merges).
    Train with BPETokenizer.train(text, n_merges); BPETokenizer() alone has no merges and
    encodes text as its raw UTF-8 bytes. from_state rebuilds only tokenizers that split with
    SPLIT_PATTERN; one with a pattern of your own, rebuild with BPETokenizer(merges, pattern).
    """

    def __init__(self, merges=(), pattern=SPLIT_PATTERN):
        self.merges = [((int(a), int(b)), int(new_id)) for (a, b), new_id in merges]
        self.pattern = pattern
        self.vocab = {i: bytes([i]) for i in range(256)}
        for k, ((a, b), new_id) in enumerate(self.merges):
            if new_id != 256 + k or a >= new_id or b >= new_id or min(a, b) < 0:
                raise ValueError(
                    f"merge {k} must join two existing tokens (ids < {256 + k}) into id "
                    f"{256 + k}, got ({a}, {b}) -> {new_id}"
                )
            self.vocab[new_id] = self.vocab[a] + self.vocab[b]
        self.vocab_size = len(self.vocab)
        self._rank = {pair: new_id for pair, new_id in self.merges}  # earlier merge = lower id
        self._cache = {}  # chunk -> its token ids (the same words recur again and again)

    @property
    def n_merges(self):
        return len(self.merges)

    @classmethod
    def train(cls, text, n_merges, pattern=SPLIT_PATTERN):
        """Learn n_merges merges from text, each time merging the most frequent adjacent pair.

        The text is cut into chunks (split_into_chunks) and each distinct chunk is counted
        once, with its frequency f, so a pair inside " the" counts f times at once.
        Ties between equally frequent pairs go to the smallest pair (a, b), so training is
        deterministic. Pair counts are updated only for the chunks that contain the merged
        pair. Training stops early if no adjacent pair is left (every chunk one token).
        """
        if not isinstance(n_merges, (int, np.integer)) or n_merges < 0:
            raise ValueError(f"n_merges must be an integer >= 0, got {n_merges!r}")
        counts = Counter(split_into_chunks(text, pattern))
        words = [list(chunk.encode("utf-8")) for chunk in counts]  # each chunk as token ids
        freqs = list(counts.values())
        stats = defaultdict(int)  # pair -> how often it occurs in the whole text
        where = defaultdict(set)  # pair -> indices of the words that contain it
        for i, (w, f) in enumerate(zip(words, freqs, strict=True)):
            for pair in _pairs(w):
                stats[pair] += f
                where[pair].add(i)
        merges = []
        for k in range(int(n_merges)):
            if not stats:
                break
            top = max(stats.values())
            pair = min(p for p, c in stats.items() if c == top)
            new_id = 256 + k
            merges.append((pair, new_id))
            touched = set()
            for i in where.pop(pair):
                w, f = words[i], freqs[i]
                for p in _pairs(w):  # take the word's old pairs out of the counts ...
                    stats[p] -= f
                    touched.add(p)
                w = words[i] = _merge(w, pair, new_id)
                for p in _pairs(w):  # ... and put its new pairs in
                    stats[p] += f
                    where[p].add(i)
            for p in touched:
                if stats[p] <= 0:
                    del stats[p]
        return cls(merges, pattern)

    def with_merges(self, n):
        """A tokenizer that uses only the first n learned merges (0 <= n <= n_merges)."""
        if not isinstance(n, (int, np.integer)) or not 0 <= n <= len(self.merges):
            raise ValueError(f"with_merges expects n in 0..{len(self.merges)}, got {n!r}")
        return BPETokenizer(self.merges[: int(n)], self.pattern)

    def _encode_chunk(self, chunk):
        """Bytes of one chunk, then replay merges: always apply the earliest learned one."""
        ids = list(chunk.encode("utf-8"))
        while len(ids) >= 2:
            pair = min(_pairs(ids), key=lambda p: self._rank.get(p, float("inf")))
            if pair not in self._rank:
                break  # no learned merge applies any more
            ids = _merge(ids, pair, self._rank[pair])
        return ids

    def encode(self, s):
        """Text -> token ids. s: str -> ids: (T,) np.intp, T <= number of UTF-8 bytes of s.

        Every string can be encoded except one holding lone surrogates ('\\ud800'), which
        are not valid Unicode text and have no UTF-8 bytes (ValueError).
        """
        try:
            s.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ValueError(
                f"BPETokenizer cannot encode {s[e.start : e.end]!r} at position {e.start}: "
                "lone surrogates are not valid Unicode text"
            ) from None
        ids = []
        for chunk in split_into_chunks(s, self.pattern):
            if chunk not in self._cache:
                self._cache[chunk] = self._encode_chunk(chunk)
            ids.extend(self._cache[chunk])
        return np.array(ids, dtype=np.intp)  # numpy's index type, as CharTokenizer's

    def token_bytes(self, ids):
        """The bytes of each token: [vocab[i] for i in ids]."""
        ids = _check_ids(ids, self.vocab_size, "BPETokenizer")
        return [self.vocab[int(i)] for i in ids]

    def decode(self, ids):
        """Token ids -> text: join the tokens' bytes and read them as UTF-8.

        decode(encode(s)) == s for every string s. Ids from elsewhere (a model's samples)
        may cut a character's bytes apart; such invalid bytes become U+FFFD.
        """
        return b"".join(self.token_bytes(ids)).decode("utf-8", errors="replace")

    def token_strings(self, ids):
        """Each token's bytes shown as text, for coloured displays of a tokenization.

        A token holding only part of a character's UTF-8 bytes shows them as escapes:
        "é" with no merges -> ['\\xc3', '\\xa9'].
        """
        return [b.decode("utf-8", errors="backslashreplace") for b in self.token_bytes(ids)]

    def state(self):
        """Plain JSON-able data from which from_state rebuilds this tokenizer."""
        return {
            "type": "BPETokenizer",
            "pattern": self.pattern,
            "merges": [[a, b, new_id] for (a, b), new_id in self.merges],
        }

    @classmethod
    def from_state(cls, state):
        """Rebuild a tokenizer from state(), which may come from a file someone sent you.

        The pattern must be nnlib's SPLIT_PATTERN: a state could otherwise carry any regular
        expression, and a badly written one (such as "(a+)+$") takes seconds or hours on a
        single word. Raises ValueError for any other pattern and for malformed merges.
        """
        _check_state(state, "BPETokenizer", ["pattern", "merges"])
        if state["pattern"] != SPLIT_PATTERN:
            shown = repr(state["pattern"])
            shown = shown if len(shown) <= 80 else shown[:80] + "..."
            raise ValueError(
                f"this BPETokenizer state splits text with the pattern {shown}, not nnlib's "
                "SPLIT_PATTERN: it was not written by nnlib or was altered, and nnlib runs only "
                "its own pattern (a foreign one can take hours on one word). A tokenizer with "
                "a pattern of your own: rebuild it with BPETokenizer(merges, pattern)"
            )
        if not isinstance(state["merges"], list):
            raise ValueError(f"the merges must be a list, got {type(state['merges']).__name__}")
        merges = []
        for k, merge in enumerate(state["merges"]):
            ints = isinstance(merge, (list, tuple)) and all(
                isinstance(i, int) and not isinstance(i, bool) for i in merge
            )
            if not ints or len(merge) != 3:
                raise ValueError(f"merge {k} must be [a, b, new_id], got {merge!r}")
            merges.append(((merge[0], merge[1]), merge[2]))
        return cls(merges, state["pattern"])

    def __repr__(self):
        return f"BPETokenizer(n_merges={self.n_merges}, vocab_size={self.vocab_size})"
