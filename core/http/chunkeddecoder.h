#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Incremental decoder of a chunked request body (RFC 9112 section 7.1). Pure: no sockets,
// no timers, no asserts on input, so it can be fed arbitrary bytes split anywhere.
// Chunk extensions are skipped, trailer fields are consumed and dropped.
class ChunkedDecoder
{
public:
    enum class Result { NeedMore, Done, Error };
    enum class Error {
        None,
        Malformed,       // syntax error, overlong size line, size overflow: answer 400
        BodyTooLarge,    // decoded body would exceed maxBodyBytes: answer 413
        TrailersTooLarge // trailer section above maxTrailerBytes: answer 431
    };

    static constexpr int MaxSizeLineBytes = 4096; // size plus extensions, per chunk

    explicit ChunkedDecoder(qint64 maxBodyBytes = 64 * 1024 * 1024,
                            int maxTrailerBytes = 64 * 1024);

    // Decodes from the front of data and appends the payload to *body. *consumed (when not
    // null) is set to the bytes used; after Done it stops right after the last CRLF, so
    // bytes of a pipelined request that follows are left for the caller.
    Result feed(QByteArrayView data, QByteArray *body, qsizetype *consumed = nullptr);

    void reset();
    bool isDone() const { return m_state == State::Done; }
    bool hasError() const { return m_state == State::Failed; }
    Error error() const { return m_error; }
    qint64 decodedBytes() const { return m_decoded; }

private:
    enum class State {
        Size,     // hex digits of the chunk size
        SizeTail, // whitespace and extensions up to the end of the size line
        SizeLF,   // CR seen on the size line, LF must follow
        Data,     // payload bytes of the current chunk
        DataCR,   // CRLF after the payload
        DataLF,
        TrailerStart, // beginning of a trailer line (empty line ends the body)
        Trailer,      // inside a trailer field line
        TrailerLF,    // CR seen inside a trailer line
        FinalLF,      // CR of the terminating empty line seen
        Done,
        Failed
    };

    Result fail(Error e);

    qint64 m_maxBody;
    int m_maxTrailer;
    State m_state = State::Size;
    Error m_error = Error::None;
    qint64 m_chunkSize = 0; // size being parsed, then bytes left in the chunk
    int m_sizeDigits = 0;   // significant digits, to reject overflow
    bool m_anyDigit = false;
    bool m_inExtension = false;
    int m_lineBytes = 0;
    int m_trailerBytes = 0;
    qint64 m_decoded = 0;
};
