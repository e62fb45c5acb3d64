#pragma once

#include "http/chunkeddecoder.h"
#include "http/httprequest.h"

#include <QByteArray>
#include <QByteArrayView>

// Incremental HTTP/1.x request parser. Pure (no sockets, no timers): feed it bytes as they
// arrive, split anywhere; it reports that it needs more, that a request is complete, or
// an error together with the status to answer. It is meant to survive arbitrary input
// (it is fuzzed): no asserts on input, memory bounded by the limits, and never more body
// memory reserved than has arrived (doubling at most, capped by Content-Length).
//
// Bare LF is accepted as a line end (RFC 9112 allows it); a CR must always be followed
// by LF. Empty lines before a request line are skipped.
class HttpRequestParser
{
public:
    struct Limits
    {
        int maxHeaderBytes = 64 * 1024;         // request line + header fields: 414 / 431
        qint64 maxBodyBytes = 64 * 1024 * 1024; // decoded body: 413
        int maxHeaderCount = 256;               // number of header fields: 431
    };

    enum class Result { NeedMore, Complete, Error };
    enum class State {
        Idle,     // nothing of the next request yet (empty lines may have been skipped)
        Head,     // inside the request line or the header fields
        Body,     // headers done, body still arriving
        Complete, // a whole request is ready: takeRequest()
        Failed    // errorStatus() tells what to answer; reset() to start over
    };

    HttpRequestParser();
    explicit HttpRequestParser(const Limits &limits);

    // Takes effect for the next request (reset() or takeRequest()).
    void setLimits(const Limits &limits) { m_nextLimits = limits; }
    Limits limits() const { return m_nextLimits; }

    // Consumes bytes from the front of data. It stops right after a complete request (so
    // pipelined bytes stay with the caller). After an error the count is of no use: the
    // connection is answered and closed. *consumed may be null.
    // In Complete or Failed state it consumes nothing until takeRequest()/reset().
    Result feed(QByteArrayView data, qsizetype *consumed = nullptr);

    State state() const { return m_state; }
    bool hasStarted() const { return m_state != State::Idle; } // a request-line byte seen
    bool headersComplete() const { return m_state == State::Body || m_state == State::Complete; }

    // Valid once headersComplete().
    bool expectsContinue() const { return m_expectContinue; } // HTTP/1.1 "100-continue"
    bool keepAlive() const { return m_keepAlive; }            // version and Connection
    bool isChunked() const { return m_chunked; }
    qint64 contentLength() const { return m_contentLength; } // -1 when none was sent

    // After Failed: the status to answer (400, 413, 414, 417, 431, 501 or 505), a short
    // code for the JSON error body, and a message that never echoes request bytes.
    int errorStatus() const { return m_errorStatus; }
    QByteArray errorCode() const { return m_errorCode; }
    QByteArray errorMessage() const { return m_errorMessage; }

    // The request so far; method, target and headers are valid once headersComplete().
    const HttpRequest &request() const { return m_request; }
    // After Complete: hands the request over and gets ready for the next one.
    HttpRequest takeRequest();
    void reset();

private:
    Result fail(int status, const char *code, const char *message);
    Result feedHead(QByteArrayView data, qsizetype *used);
    Result feedBody(QByteArrayView data, qsizetype *used);
    bool checkRequestLinePrefix(QByteArrayView bytes);
    Result processLine(QByteArrayView line);
    Result parseRequestLine(QByteArrayView line);
    Result parseHeaderLine(QByteArrayView line);
    Result finishHead();

    Limits m_nextLimits;
    Limits m_limits;
    State m_state = State::Idle;
    HttpRequest m_request;
    QByteArray m_line; // the current incomplete line of the head
    qint64 m_headBytes = 0;
    bool m_requestLineDone = false;

    // Early check of the request line while it arrives, so binary garbage is refused
    // at once instead of after the header timeout.
    int m_rlSpaces = 0;
    int m_rlPartLen = 0;
    bool m_rlCR = false;

    bool m_expectContinue = false;
    bool m_keepAlive = true;
    bool m_chunked = false;
    qint64 m_contentLength = -1;
    qint64 m_bodyRemaining = 0;
    ChunkedDecoder m_chunkedDecoder;

    int m_errorStatus = 0;
    QByteArray m_errorCode;
    QByteArray m_errorMessage;
};
