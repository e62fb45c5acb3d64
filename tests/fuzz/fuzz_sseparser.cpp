// Fuzzes SseParser, which splits the upstream's event stream so the proxy can forward it.
//
// The input is an upstream byte stream. The raw bytes of the events and the remainder
// must give back the input exactly (the proxy forwards verbatim); whole feeding and
// byte-by-byte or pseudo-randomly split feeding must give the same events; each event's raw bytes,
// parsed alone, must give that event again; with a small buffer limit the parser must stop cleanly
// with the events before the limit intact.
#include "fuzzcheck.h"
#include "http/sseparser.h"

#include <QByteArray>
#include <QList>

namespace {

struct Outcome
{
    QList<SseEvent> events;
    QByteArray remainder;
    bool error = false;
};

bool sameFields(const SseEvent &a, const SseEvent &b)
{
    return a.event == b.event && a.data == b.data && a.id == b.id && a.retryMs == b.retryMs &&
           a.hasData == b.hasData && a.hasId == b.hasId;
}

void checkEvent(const SseEvent &e)
{
    FUZZ_CHECK(!e.raw.isEmpty());
    // An event ends with its blank line: the raw bytes end in a line break.
    FUZZ_CHECK(e.raw.endsWith('\n') || e.raw.endsWith('\r'));
    if (!e.hasData)
        FUZZ_CHECK(e.data.isEmpty());
    if (!e.hasId)
        FUZZ_CHECK(e.id.isEmpty());
    FUZZ_CHECK(!e.id.contains('\0'));
    FUZZ_CHECK(e.retryMs >= -1);
    // Every field comes from the raw bytes, so none is longer.
    FUZZ_CHECK(e.data.size() <= e.raw.size() && e.event.size() <= e.raw.size() &&
               e.id.size() <= e.raw.size());
    if (e.isDone())
        FUZZ_CHECK(!e.isCommentOnly());
}

template<typename NextPiece>
Outcome parse(QByteArrayView input, qsizetype maxBuffered, NextPiece nextPiece)
{
    SseParser parser(maxBuffered);
    Outcome out;
    qsizetype pos = 0;
    while (pos < input.size()) {
        const qsizetype len = std::min<qsizetype>(nextPiece(pos), input.size() - pos);
        const bool hadError = parser.hasError();
        const QList<SseEvent> events = parser.feed(input.sliced(pos, len));
        pos += len;
        if (hadError)
            FUZZ_CHECK(events.isEmpty()); // input after the error is ignored
        for (const SseEvent &e : events)
            checkEvent(e);
        out.events.append(events);
        if (parser.hasError()) {
            FUZZ_CHECK(parser.bufferedBytes() == 0);
            FUZZ_CHECK(!parser.errorString().isEmpty());
        } else {
            FUZZ_CHECK(parser.bufferedBytes() <= maxBuffered);
        }
    }
    out.error = parser.hasError();
    out.remainder = parser.takeRemainder();
    FUZZ_CHECK(!parser.hasError() && parser.bufferedBytes() == 0);
    if (out.error)
        FUZZ_CHECK(out.remainder.isEmpty());
    return out;
}

QByteArray joined(const Outcome &o)
{
    QByteArray all;
    for (const SseEvent &e : o.events)
        all.append(e.raw);
    return all;
}

// Events of two feedings of the same stream. Their fields must be equal. Their raw bytes
// too, but for one case the parser documents: an event whose blank line is a CR at the
// very end of what has arrived is returned at once, and when the LF of that CRLF arrives
// later it opens the next event's raw bytes (or the remainder) instead.
void checkSameEvents(const Outcome &a, const Outcome &b)
{
    FUZZ_CHECK(a.events.size() == b.events.size());
    FUZZ_CHECK(joined(a) + a.remainder == joined(b) + b.remainder);
    qsizetype offA = 0;
    qsizetype offB = 0;
    for (qsizetype i = 0; i < a.events.size(); ++i) {
        const SseEvent &ea = a.events[i];
        const SseEvent &eb = b.events[i];
        FUZZ_CHECK(sameFields(ea, eb));
        // Both start at the same offset but for a carried-over LF.
        FUZZ_CHECK(offA == offB || std::abs(offA - offB) == 1);
        offA += ea.raw.size();
        offB += eb.raw.size();
        FUZZ_CHECK(offA == offB || std::abs(offA - offB) == 1);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    const Outcome whole =
        parse(input, SseParser::DefaultMaxBufferedBytes, [&](qsizetype) { return input.size(); });
    FUZZ_CHECK(!whole.error);
    FUZZ_CHECK(QByteArray(joined(whole) + whole.remainder) == input);

    // Split feeding, byte by byte or in pseudo-random pieces as a hash of the input picks.
    fuzz::SplitMix rng(data, size);
    const bool byBytes = rng.next() & 1;
    const Outcome split = parse(input, SseParser::DefaultMaxBufferedBytes, [&](qsizetype) {
        return byBytes ? qsizetype(1) : qsizetype(rng.pieceLength(size));
    });
    FUZZ_CHECK(!split.error);
    FUZZ_CHECK(QByteArray(joined(split) + split.remainder) == input);
    checkSameEvents(whole, split);

    // Each event parsed on its own is the same event. A byte order mark is only skipped at
    // the start of a stream, so events that carry one are left out.
    for (const SseEvent &e : whole.events) {
        if (e.raw.contains("\xEF\xBB\xBF"))
            continue;
        SseParser alone;
        const QList<SseEvent> again = alone.feed(e.raw);
        FUZZ_CHECK(again.size() == 1);
        FUZZ_CHECK(again.front().raw == e.raw && sameFields(again.front(), e));
        FUZZ_CHECK(alone.takeRemainder().isEmpty());
    }

    // A small limit: the events returned before it was hit are a prefix of the stream,
    // the same events as without a limit.
    const qsizetype limit = 1 + qsizetype(rng.next() % 64);
    const Outcome limited =
        parse(input, limit, [&](qsizetype) { return qsizetype(rng.pieceLength(size)); });
    FUZZ_CHECK(limited.events.size() <= whole.events.size());
    FUZZ_CHECK(input.startsWith(joined(limited)));
    if (!limited.error)
        FUZZ_CHECK(QByteArray(joined(limited) + limited.remainder) == input);
    for (qsizetype i = 0; i < limited.events.size(); ++i)
        FUZZ_CHECK(sameFields(limited.events[i], whole.events[i]));
    return 0;
}
