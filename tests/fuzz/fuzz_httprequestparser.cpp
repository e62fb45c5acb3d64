// Fuzzes HttpRequestParser, the first code that sees a client's bytes.
//
// The input is a byte stream as a client would send it on one connection (pipelined
// requests included). It is parsed as the server does, once with every byte at once, once
// a byte at a time and once in pseudo-random pieces, under three sets of limits. Every run
// must give the same requests and the same final answer, and each request must be
// consistent with what the parser said about it.
#include "fuzzcheck.h"
#include "http/httprequestparser.h"

#include <QByteArray>
#include <QList>

#include <cstring>

namespace {

using Parser = HttpRequestParser;
using Result = HttpRequestParser::Result;
using State = HttpRequestParser::State;

bool isTchar(char ch)
{
    const auto c = static_cast<unsigned char>(ch);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

bool isToken(const QByteArray &s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTchar(c))
            return false;
    }
    return true;
}

struct Parsed
{
    HttpRequest request;
    qsizetype end = 0; // offset in the stream right after this request
    bool keepAlive = false;
    bool expectsContinue = false;
    bool chunked = false;
    qint64 contentLength = -1;
};

struct Outcome
{
    QList<Parsed> requests;
    Result last = Result::NeedMore; // NeedMore (input ran out) or Error
    State lastState = State::Idle;
    int errorStatus = 0;
    QByteArray errorCode;
};

bool sameRequest(const Parsed &a, const Parsed &b)
{
    return a.end == b.end && a.keepAlive == b.keepAlive && a.expectsContinue == b.expectsContinue &&
           a.chunked == b.chunked && a.contentLength == b.contentLength &&
           a.request.method == b.request.method && a.request.target == b.request.target &&
           a.request.path == b.request.path && a.request.query == b.request.query &&
           a.request.minorVersion == b.request.minorVersion &&
           a.request.headers == b.request.headers && a.request.body == b.request.body;
}

bool sameOutcome(const Outcome &a, const Outcome &b)
{
    if (a.requests.size() != b.requests.size() || a.last != b.last || a.lastState != b.lastState ||
        a.errorStatus != b.errorStatus || a.errorCode != b.errorCode)
        return false;
    for (qsizetype i = 0; i < a.requests.size(); ++i) {
        if (!sameRequest(a.requests[i], b.requests[i]))
            return false;
    }
    return true;
}

// What the parser promises about a request it called complete.
void checkComplete(const Parsed &p, const Parser::Limits &limits)
{
    const HttpRequest &r = p.request;
    FUZZ_CHECK(isToken(r.method));
    FUZZ_CHECK(!r.target.isEmpty());
    for (char ch : r.target) {
        const auto c = static_cast<unsigned char>(ch);
        FUZZ_CHECK(c >= 0x21 && c <= 0x7e);
    }
    const qsizetype q = r.target.indexOf('?');
    if (q < 0) {
        FUZZ_CHECK(r.path == r.target && r.query.isEmpty());
    } else {
        FUZZ_CHECK(r.path == r.target.first(q) && r.query == r.target.sliced(q + 1));
    }
    FUZZ_CHECK(r.minorVersion >= 0 && r.minorVersion <= 9);
    FUZZ_CHECK(r.headers.size() <= limits.maxHeaderCount);

    int hosts = 0;
    for (const auto &h : r.headers) {
        FUZZ_CHECK(isToken(h.first));
        FUZZ_CHECK(h.first == h.first.toLower());
        if (!h.second.isEmpty()) {
            FUZZ_CHECK(h.second.front() != ' ' && h.second.front() != '\t');
            FUZZ_CHECK(h.second.back() != ' ' && h.second.back() != '\t');
        }
        for (char ch : h.second) {
            const auto c = static_cast<unsigned char>(ch);
            FUZZ_CHECK((c >= 0x20 || c == '\t') && c != 0x7f);
        }
        if (h.first == "host")
            ++hosts;
    }
    FUZZ_CHECK(hosts <= 1);

    // Exactly one framing, and the body matches it.
    FUZZ_CHECK(r.body.size() <= limits.maxBodyBytes);
    if (p.chunked) {
        FUZZ_CHECK(p.contentLength == -1);
        FUZZ_CHECK(r.minorVersion != 0);
        FUZZ_CHECK(r.hasHeader("transfer-encoding"));
    } else if (p.contentLength >= 0) {
        FUZZ_CHECK(r.body.size() == p.contentLength);
        FUZZ_CHECK(!r.hasHeader("transfer-encoding"));
    } else {
        FUZZ_CHECK(r.body.isEmpty());
        FUZZ_CHECK(!r.hasHeader("transfer-encoding") && !r.hasHeader("content-length"));
    }
    if (p.expectsContinue)
        FUZZ_CHECK(r.minorVersion != 0);
}

// Parses the stream as HttpConnection does: feeds what has arrived, takes a complete
// request and feeds the rest again. nextPiece(offset) says how much arrives at once.
template<typename NextPiece>
Outcome parseStream(QByteArrayView input, const Parser::Limits &limits, NextPiece nextPiece)
{
    Parser parser(limits);
    Outcome out;
    qsizetype arrived = 0; // bytes handed to the "socket" so far
    qsizetype pos = 0;     // bytes the parser has consumed
    while (true) {
        if (pos == arrived) {
            if (arrived == input.size())
                break;
            arrived += std::min<qsizetype>(nextPiece(arrived), input.size() - arrived);
        }
        const QByteArrayView piece = input.sliced(pos, arrived - pos);
        qsizetype used = -1;
        const Result r = parser.feed(piece, &used);
        FUZZ_CHECK(used >= 0 && used <= piece.size());

        if (r == Result::Error) {
            FUZZ_CHECK(parser.state() == State::Failed);
            const int s = parser.errorStatus();
            FUZZ_CHECK(s == 400 || s == 413 || s == 414 || s == 417 || s == 431 || s == 501 ||
                       s == 505);
            FUZZ_CHECK(!parser.errorCode().isEmpty() && !parser.errorMessage().isEmpty());
            // A failed parser stays failed and takes nothing more.
            qsizetype again = -1;
            FUZZ_CHECK(parser.feed(piece, &again) == Result::Error && again == 0);
            out.last = Result::Error;
            out.lastState = State::Failed;
            out.errorStatus = s;
            out.errorCode = parser.errorCode();
            return out;
        }
        pos += used;
        if (r == Result::NeedMore) {
            // Nothing is left behind while the parser waits for more.
            FUZZ_CHECK(used == piece.size());
            FUZZ_CHECK(parser.state() != State::Complete && parser.state() != State::Failed);
            FUZZ_CHECK(parser.errorStatus() == 0);
            continue;
        }

        FUZZ_CHECK(parser.state() == State::Complete && parser.headersComplete());
        qsizetype again = -1;
        FUZZ_CHECK(parser.feed(input.sliced(pos, arrived - pos), &again) == Result::Complete &&
                   again == 0);
        Parsed p;
        p.end = pos;
        p.keepAlive = parser.keepAlive();
        p.expectsContinue = parser.expectsContinue();
        p.chunked = parser.isChunked();
        p.contentLength = parser.contentLength();
        const QByteArray bodyBefore = parser.request().body;
        p.request = parser.takeRequest();
        FUZZ_CHECK(p.request.body == bodyBefore);
        FUZZ_CHECK(parser.state() == State::Idle && !parser.hasStarted());
        checkComplete(p, limits);
        out.requests.append(std::move(p));
        if (out.requests.size() > input.size())
            break; // cannot happen: a request takes at least one byte
    }
    out.last = Result::NeedMore;
    out.lastState = parser.state();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    Parser::Limits defaults;
    Parser::Limits small;
    small.maxHeaderBytes = 200;
    small.maxBodyBytes = 40;
    small.maxHeaderCount = 4;
    Parser::Limits tight; // limits hit within a few bytes
    tight.maxHeaderBytes = 24;
    tight.maxBodyBytes = 0;
    tight.maxHeaderCount = 1;

    for (const Parser::Limits &limits : {defaults, small, tight}) {
        const Outcome whole = parseStream(input, limits, [&](qsizetype) { return input.size(); });

        const Outcome bytes = parseStream(input, limits, [](qsizetype) { return 1; });
        FUZZ_CHECK(sameOutcome(whole, bytes));

        fuzz::SplitMix rng(data, size);
        const Outcome pieces =
            parseStream(input, limits, [&](qsizetype) { return qsizetype(rng.pieceLength(size)); });
        FUZZ_CHECK(sameOutcome(whole, pieces));
    }
    return 0;
}
