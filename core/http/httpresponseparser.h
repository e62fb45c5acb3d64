#pragma once

#include "http/chunkeddecoder.h"
#include "http/httprequest.h"

#include <QByteArray>
#include <QByteArrayView>

#include <limits>

// Incremental parser of one HTTP/1.x response, the server's side of what HttpClient sends.
// Pure (no sockets, no timers): feed it bytes as they arrive, split anywhere. It reads the
// status line and header fields, skips interim 1xx answers, and decodes the body framed by
// Content-Length, chunked transfer coding, or the end of the connection. It is fuzzed:
// no asserts on input, the head bounded by maxHeadBytes.
//
// Bare LF is accepted as a line end; a CR before the LF is dropped.
class HttpResponseParser
{
public:
    enum class State {
        Head, // the status line and header fields are arriving
        Body, // the final head is known, the body is arriving
        Done, // the whole response has arrived
        Failed
    };
    enum class Framing {
        None,      // no body (HEAD, 204, 304, Content-Length: 0)
        Length,    // Content-Length
        Chunked,   // Transfer-Encoding ending in chunked
        UntilClose // the body ends with the connection
    };
    enum class Error {
        None,
        HeadTooLarge,        // no blank line within maxHeadBytes
        NotHttp,             // the status line is not HTTP/1.x SP 3DIGIT
        BadStatus,           // the status code is not three digits of at least 100
        MalformedHeader,     // a header line without a name, or a fold before any field
        SwitchedProtocols,   // 101, which no request of ours asks for
        BadContentLength,    // not a decimal number, or two that disagree
        MalformedChunkedBody // the chunked coding is broken
    };

    explicit HttpResponseParser(qsizetype maxHeadBytes = 64 * 1024);

    // Starts over for the next response; the answer to a HEAD request has no body.
    void reset(bool toHeadRequest = false);

    // Takes bytes from the front of data and returns how many: head bytes are kept inside
    // until the blank line, body bytes are appended to *body, no more than maxBody of them
    // in this call (backpressure: what is not taken stays with the caller). It stops at the
    // end of the response, so bytes after it are left unread. In Done or Failed it takes
    // nothing. While it needs more and has room it takes everything.
    qsizetype feed(QByteArrayView data, QByteArray *body,
                   qint64 maxBody = std::numeric_limits<qint64>::max());

    // The connection has ended. That completes a body framed by the end of the connection
    // (returns true, state Done); any other unfinished response stays as it is, and the
    // caller reports it as cut short.
    bool finishInput();

    State state() const { return m_state; }
    bool headComplete() const { return m_state == State::Body || m_state == State::Done; }
    Error error() const { return m_error; }

    // Valid once headComplete().
    int status() const { return m_status; }
    int minorVersion() const { return m_minorVersion; }
    const HttpHeaders &headers() const { return m_headers; } // names lower-cased
    QByteArray header(QByteArrayView name) const;            // the first one, or empty
    bool hasHeader(QByteArrayView name) const;
    Framing framing() const { return m_framing; }
    qint64 contentLength() const { return m_contentLength; } // -1 unless Framing::Length
    // The version and Connection header allow another request on this connection, and the
    // body does not end with the connection.
    bool keepAlive() const { return m_keepAlive; }
    int interimResponses() const { return m_interim; } // 1xx heads skipped so far

private:
    qsizetype feedHead(QByteArrayView data);
    qsizetype feedBody(QByteArrayView data, QByteArray *body, qint64 maxBody);
    void parseHead(QByteArrayView head);
    void fail(Error e);

    qsizetype m_maxHead;
    bool m_toHeadRequest = false;
    State m_state = State::Head;
    Error m_error = Error::None;
    QByteArray m_head;        // the head so far
    qsizetype m_headScan = 0; // where the search for the blank line goes on
    int m_status = 0;
    int m_minorVersion = 1;
    HttpHeaders m_headers;
    Framing m_framing = Framing::None;
    qint64 m_contentLength = -1;
    qint64 m_remaining = 0;
    bool m_keepAlive = true;
    int m_interim = 0;
    ChunkedDecoder m_chunked;
};
