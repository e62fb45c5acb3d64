// Fuzzes ChunkedDecoder, which decodes a client's chunked request body.
//
// Two properties. Any input: whole, byte-by-byte and pseudo-randomly split feeding give
// the same result, body and end position, within the limits. And a round trip: the input
// taken as a payload, chunk-encoded in varied but valid ways (leading zeros, upper and
// lower case hex, extensions, bare LF, trailers), decodes back to itself exactly.
#include "fuzzcheck.h"
#include "http/chunkeddecoder.h"

#include <QByteArray>
#include <QStringBuilder>

namespace {

using Result = ChunkedDecoder::Result;

struct Outcome
{
    Result result = Result::NeedMore;
    ChunkedDecoder::Error error = ChunkedDecoder::Error::None;
    QByteArray body;
    qsizetype end = 0; // where the body ended (after Done)
};

bool operator==(const Outcome &a, const Outcome &b)
{
    return a.result == b.result && a.error == b.error && a.body == b.body && a.end == b.end;
}

template<typename NextPiece>
Outcome decode(QByteArrayView input, qint64 maxBody, int maxTrailer, NextPiece nextPiece)
{
    ChunkedDecoder decoder(maxBody, maxTrailer);
    Outcome out;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(nextPiece(pos), input.size() - pos);
        qsizetype used = -1;
        const qsizetype bodyBefore = out.body.size();
        out.result = decoder.feed(input.sliced(pos, len), &out.body, &used);
        FUZZ_CHECK(used >= 0 && used <= len);
        FUZZ_CHECK(out.body.size() - bodyBefore <= used); // payload comes from the input
        pos += used;
        FUZZ_CHECK(decoder.decodedBytes() == out.body.size());
        FUZZ_CHECK(out.body.size() <= std::max<qint64>(0, maxBody));
        if (out.result == Result::NeedMore) {
            FUZZ_CHECK(used == len);
            FUZZ_CHECK(!decoder.isDone() && !decoder.hasError());
            continue;
        }
        // Done and Failed are final: nothing more is taken.
        qsizetype again = -1;
        QByteArray extra;
        FUZZ_CHECK(decoder.feed(input.sliced(pos), &extra, &again) == out.result && again == 0 &&
                   extra.isEmpty());
        if (out.result == Result::Done) {
            FUZZ_CHECK(decoder.isDone() && decoder.error() == ChunkedDecoder::Error::None);
            out.end = pos;
        } else {
            FUZZ_CHECK(decoder.hasError() && decoder.error() != ChunkedDecoder::Error::None);
            out.error = decoder.error();
            out.body.clear(); // what arrived before the error is of no use
        }
        break;
    }
    if (out.result == Result::NeedMore)
        FUZZ_CHECK(pos == input.size());
    return out;
}

// Chunk-encodes payload in a way picked by rng; all of them are valid.
QByteArray encode(QByteArrayView payload, fuzz::SplitMix &rng)
{
    static const char lower[] = "0123456789abcdef";
    static const char upper[] = "0123456789ABCDEF";
    QByteArray out;
    auto lineEnd = [&] { out.append((rng.next() & 7) == 0 ? "\n" : "\r\n"); };
    qsizetype pos = 0;
    while (pos < payload.size()) {
        const qsizetype len = std::min<qsizetype>(
            qsizetype(rng.pieceLength(size_t(payload.size()))), payload.size() - pos);
        const std::uint64_t style = rng.next();
        out.append(QByteArray(int(style % 3), '0')); // leading zeros
        const char *digits = (style & 8) ? upper : lower;
        QByteArray hex;
        for (qsizetype v = len; v > 0; v /= 16)
            hex.prepend(digits[v % 16]);
        out.append(hex);
        if (style & 16)
            out.append(" ;name=\"va;lue\"\t");
        else if (style & 32)
            out.append(";x");
        lineEnd();
        out.append(payload.sliced(pos, len));
        lineEnd();
        pos += len;
    }
    out.append((rng.next() & 1) ? "0" : "000");
    lineEnd();
    if (rng.next() & 1) {
        out.append("X-Trailer: yes");
        lineEnd();
    }
    lineEnd();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto whole = [&](qsizetype) { return input.size(); };
    const auto bytes = [](qsizetype) { return qsizetype(1); };

    struct Limits
    {
        qint64 maxBody;
        int maxTrailer;
    };
    for (const Limits &l : {Limits{64 * 1024 * 1024, 64 * 1024}, Limits{16, 8}, Limits{0, 0}}) {
        const Outcome a = decode(input, l.maxBody, l.maxTrailer, whole);
        const Outcome b = decode(input, l.maxBody, l.maxTrailer, bytes);
        FUZZ_CHECK(a == b);
        fuzz::SplitMix rng(data, size);
        const Outcome c = decode(input, l.maxBody, l.maxTrailer,
                                 [&](qsizetype) { return qsizetype(rng.pieceLength(size)); });
        FUZZ_CHECK(a == c);
    }

    // Round trip, with bytes of a following pipelined request left unread.
    fuzz::SplitMix rng(data, size);
    const QByteArray encoded = encode(input, rng);
    const QByteArray stream = encoded + "GET / HTTP/1.1\r\n";
    const Outcome round = decode(stream, input.size(), 64, [&](qsizetype) {
        return qsizetype(rng.pieceLength(size_t(stream.size())));
    });
    FUZZ_CHECK(round.result == Result::Done);
    FUZZ_CHECK(round.body == input);
    FUZZ_CHECK(round.end == encoded.size());

    // One byte over the limit is refused as too large, not as malformed.
    if (size > 0) {
        const Outcome over = decode(encoded, input.size() - 1, 64, whole);
        FUZZ_CHECK(over.result == Result::Error &&
                   over.error == ChunkedDecoder::Error::BodyTooLarge);
    }
    return 0;
}
