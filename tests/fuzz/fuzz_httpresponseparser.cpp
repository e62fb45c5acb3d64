// Fuzzes HttpResponseParser, which reads the upstream server's answers in HttpClient.
//
// The first input byte picks the request (HEAD or not), whether the connection ends after
// the input, and a body budget; the rest is what the server sent. Properties: whole,
// byte-by-byte, randomly split and budget-limited feeding give the same outcome; what is
// consumed is in bounds and nothing is left unread while more is needed; a complete head
// is consistent (final status, lower-case names, the framing its headers ask for) and a
// Content-Length body has exactly that length. And a round trip: the input taken as a body,
// sent with interim answers and a varied but valid framing, comes back exactly.
#include "fuzzcheck.h"
#include "http/httpresponseparser.h"

#include <QByteArray>

namespace {

using State = HttpResponseParser::State;
using Framing = HttpResponseParser::Framing;

struct Outcome
{
    State state = State::Head;
    HttpResponseParser::Error error = HttpResponseParser::Error::None;
    int status = 0;
    HttpHeaders headers;
    Framing framing = Framing::None;
    bool keepAlive = false;
    int interim = 0;
    QByteArray body;
    qsizetype consumed = 0;
};

bool operator==(const Outcome &a, const Outcome &b)
{
    return a.state == b.state && a.error == b.error && a.status == b.status &&
           a.headers == b.headers && a.framing == b.framing && a.keepAlive == b.keepAlive &&
           a.interim == b.interim && a.body == b.body && a.consumed == b.consumed;
}

// Feeds input as a reply does: pieces from nextPiece(), at most budget body bytes a call,
// feeding the rest again while the parser makes progress.
template<typename NextPiece>
Outcome parse(QByteArrayView input, bool toHead, bool closeAfter, qint64 budget,
              NextPiece nextPiece, qsizetype maxHead = 64 * 1024)
{
    HttpResponseParser parser(maxHead);
    parser.reset(toHead);
    Outcome out;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(nextPiece(pos), input.size() - pos);
        QByteArrayView piece = input.sliced(pos, len);
        while (!piece.isEmpty()) {
            const qsizetype bodyBefore = out.body.size();
            const State before = parser.state();
            const qsizetype used = parser.feed(piece, &out.body, budget);
            FUZZ_CHECK(used >= 0 && used <= piece.size());
            FUZZ_CHECK(out.body.size() - bodyBefore <= budget);
            FUZZ_CHECK(out.body.size() - bodyBefore <= used); // payload comes from the input
            if (before == State::Done || before == State::Failed)
                FUZZ_CHECK(used == 0 && parser.state() == before);
            pos += used;
            piece = piece.sliced(used);
            if (used == 0)
                break;
        }
        if (parser.state() == State::Done || parser.state() == State::Failed)
            break;
        FUZZ_CHECK(piece.isEmpty()); // still needing more, it took everything
    }
    if (closeAfter) {
        const bool untilClose =
            parser.state() == State::Body && parser.framing() == Framing::UntilClose;
        FUZZ_CHECK(parser.finishInput() == untilClose);
        FUZZ_CHECK(!untilClose || parser.state() == State::Done);
    }
    out.consumed = pos;
    out.state = parser.state();
    out.error = parser.error();
    FUZZ_CHECK((out.state == State::Failed) == (out.error != HttpResponseParser::Error::None));
    if (parser.headComplete()) {
        out.status = parser.status();
        out.headers = parser.headers();
        out.framing = parser.framing();
        out.keepAlive = parser.keepAlive();
        FUZZ_CHECK(out.status >= 200 && out.status <= 999);
        for (const auto &h : std::as_const(out.headers)) {
            FUZZ_CHECK(!h.first.isEmpty() && h.first == h.first.toLower());
            FUZZ_CHECK(!h.first.contains(':') && !h.first.contains(' ') && !h.first.contains('\n'));
            FUZZ_CHECK(!h.second.contains('\n'));
        }
        if (out.framing == Framing::UntilClose)
            FUZZ_CHECK(!out.keepAlive);
        if (toHead)
            FUZZ_CHECK(out.framing == Framing::None && out.body.isEmpty());
        if (out.framing == Framing::Length) {
            FUZZ_CHECK(parser.contentLength() > 0);
            FUZZ_CHECK(out.body.size() <= parser.contentLength());
            FUZZ_CHECK((out.state == State::Done) == (out.body.size() == parser.contentLength()));
        }
        if (out.framing == Framing::None)
            FUZZ_CHECK(out.state == State::Done && out.body.isEmpty());
    } else if (out.state == State::Head) {
        FUZZ_CHECK(out.body.isEmpty());
    }
    if (out.state == State::Head || out.state == State::Body)
        FUZZ_CHECK(pos == input.size());
    out.interim = parser.interimResponses();
    return out;
}

// The input as the body of a valid answer, framed in a way picked by rng. Sets *framing to
// what the parser must find.
QByteArray encode(QByteArrayView payload, fuzz::SplitMix &rng, Framing *framing)
{
    QByteArray out;
    auto lineEnd = [&] { out.append((rng.next() & 7) == 0 ? "\n" : "\r\n"); };
    for (std::uint64_t n = rng.next() % 3; n > 0; --n) {
        out.append((rng.next() & 1) ? "HTTP/1.1 100 Continue" : "HTTP/1.1 103 Early Hints");
        lineEnd();
        if (rng.next() & 1) {
            out.append("Link: </style.css>; rel=preload");
            lineEnd();
        }
        lineEnd();
    }
    out.append((rng.next() & 1) ? "HTTP/1.1 200 OK" : "HTTP/1.1 200");
    lineEnd();
    out.append("Content-Type: text/event-stream");
    lineEnd();
    switch (rng.next() % 3) {
    case 0:
        out.append("Content-Length: " + QByteArray::number(payload.size()));
        lineEnd();
        *framing = payload.isEmpty() ? Framing::None : Framing::Length;
        lineEnd();
        out.append(payload);
        break;
    case 1: {
        out.append("Transfer-Encoding: chunked");
        lineEnd();
        lineEnd();
        qsizetype pos = 0;
        while (pos < payload.size()) {
            const qsizetype len = std::min<qsizetype>(
                qsizetype(rng.pieceLength(size_t(payload.size()))), payload.size() - pos);
            out.append(QByteArray::number(len, 16));
            if (rng.next() & 1)
                out.append(";n=v");
            lineEnd();
            out.append(payload.sliced(pos, len));
            lineEnd();
            pos += len;
        }
        out.append("0");
        lineEnd();
        lineEnd();
        *framing = Framing::Chunked;
        break;
    }
    default:
        lineEnd();
        out.append(payload);
        *framing = Framing::UntilClose;
        break;
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t flags = data[0];
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const bool toHead = flags & 1;
    const bool closeAfter = flags & 2;
    const qint64 budget = (flags >> 2) == 0 ? std::numeric_limits<qint64>::max() : (flags >> 2);

    const qint64 unlimited = std::numeric_limits<qint64>::max();
    const auto whole = [&](qsizetype) { return input.size(); };
    const Outcome a = parse(input, toHead, closeAfter, unlimited, whole);
    const Outcome b = parse(input, toHead, closeAfter, unlimited, [](qsizetype) { return 1; });
    FUZZ_CHECK(a == b);
    fuzz::SplitMix rng(data, size);
    const Outcome c = parse(input, toHead, closeAfter, budget,
                            [&](qsizetype) { return qsizetype(rng.pieceLength(size)); });
    FUZZ_CHECK(a == c);

    // A small head limit gives the same answer or refuses the head as too large.
    const Outcome small = parse(input, toHead, closeAfter, unlimited, whole, 64);
    FUZZ_CHECK(small == a || small.error == HttpResponseParser::Error::HeadTooLarge);

    // Round trip, with the bytes of a following answer left unread unless the body ends
    // with the connection.
    Framing framing = Framing::None;
    const QByteArray encoded = encode(input, rng, &framing);
    const bool untilClose = framing == Framing::UntilClose;
    const QByteArray stream = untilClose ? encoded : encoded + "HTTP/1.1 204 No Content\r\n\r\n";
    const Outcome round = parse(stream, false, untilClose, budget, [&](qsizetype) {
        return qsizetype(rng.pieceLength(size_t(stream.size())));
    });
    FUZZ_CHECK(round.state == State::Done);
    FUZZ_CHECK(round.status == 200);
    FUZZ_CHECK(round.framing == framing);
    FUZZ_CHECK(round.body == input);
    FUZZ_CHECK(round.consumed == encoded.size());
    FUZZ_CHECK(round.keepAlive == !untilClose);
    return 0;
}
