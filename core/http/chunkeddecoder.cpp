#include "http/chunkeddecoder.h"

#include <algorithm>

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Control characters other than HTAB never belong in a size line or a trailer field.
bool isBadControl(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

// 15 significant hex digits stay below 2^60, far from qint64 overflow and far above any
// body limit, so the size can be checked against the limit after parsing.
constexpr int MaxSizeDigits = 15;

} // namespace

ChunkedDecoder::ChunkedDecoder(qint64 maxBodyBytes, int maxTrailerBytes)
    : m_maxBody(std::max<qint64>(0, maxBodyBytes))
    , m_maxTrailer(std::max(2, maxTrailerBytes)) // room for the final CRLF
{}

void ChunkedDecoder::reset()
{
    m_state = State::Size;
    m_error = Error::None;
    m_chunkSize = 0;
    m_sizeDigits = 0;
    m_anyDigit = false;
    m_inExtension = false;
    m_lineBytes = 0;
    m_trailerBytes = 0;
    m_decoded = 0;
}

ChunkedDecoder::Result ChunkedDecoder::fail(Error e)
{
    m_state = State::Failed;
    m_error = e;
    return Result::Error;
}

ChunkedDecoder::Result ChunkedDecoder::feed(QByteArrayView data, QByteArray *body,
                                            qsizetype *consumed)
{
    qsizetype i = 0;
    const qsizetype n = data.size();
    auto finish = [&](Result r) {
        if (consumed)
            *consumed = i;
        return r;
    };

    if (m_state == State::Done)
        return finish(Result::Done);
    if (m_state == State::Failed)
        return finish(Result::Error);

    while (i < n) {
        if (m_state == State::Data) {
            // Payload is copied in one block, not byte by byte.
            const qint64 take = std::min<qint64>(m_chunkSize, n - i);
            if (body)
                body->append(data.data() + i, qsizetype(take));
            i += qsizetype(take);
            m_chunkSize -= take;
            m_decoded += take;
            if (m_chunkSize == 0)
                m_state = State::DataCR;
            continue;
        }

        const unsigned char c = static_cast<unsigned char>(data[i]);
        ++i;
        switch (m_state) {
        case State::Size:
        case State::SizeTail:
            if (++m_lineBytes > MaxSizeLineBytes)
                return finish(fail(Error::Malformed));
            if (c == '\r' || c == '\n') {
                if (!m_anyDigit)
                    return finish(fail(Error::Malformed));
                if (c == '\r') {
                    m_state = State::SizeLF;
                    break;
                }
            } else if (m_state == State::Size && hexValue(char(c)) >= 0) {
                m_anyDigit = true;
                if (m_chunkSize != 0 || c != '0')
                    ++m_sizeDigits;
                if (m_sizeDigits > MaxSizeDigits)
                    return finish(fail(Error::Malformed));
                m_chunkSize = m_chunkSize * 16 + hexValue(char(c));
                break;
            } else if (!m_anyDigit) {
                return finish(fail(Error::Malformed));
            } else if (m_inExtension) {
                if (isBadControl(c))
                    return finish(fail(Error::Malformed));
                break;
            } else if (c == ';') {
                m_inExtension = true;
                m_state = State::SizeTail;
                break;
            } else if (c == ' ' || c == '\t') {
                m_state = State::SizeTail; // whitespace before ';' (or before CRLF)
                break;
            } else {
                return finish(fail(Error::Malformed));
            }
            [[fallthrough]];
        case State::SizeLF:
            if (c != '\n')
                return finish(fail(Error::Malformed));
            m_lineBytes = 0;
            m_sizeDigits = 0;
            m_anyDigit = false;
            m_inExtension = false;
            if (m_chunkSize == 0) {
                m_state = State::TrailerStart;
            } else if (m_chunkSize > m_maxBody - m_decoded) {
                return finish(fail(Error::BodyTooLarge));
            } else {
                m_state = State::Data;
            }
            break;
        case State::DataCR:
            if (c == '\r')
                m_state = State::DataLF;
            else if (c == '\n')
                m_state = State::Size;
            else
                return finish(fail(Error::Malformed));
            break;
        case State::DataLF:
            if (c != '\n')
                return finish(fail(Error::Malformed));
            m_state = State::Size;
            break;
        case State::TrailerStart:
        case State::Trailer:
        case State::TrailerLF:
        case State::FinalLF:
            if (++m_trailerBytes > m_maxTrailer)
                return finish(fail(Error::TrailersTooLarge));
            if (m_state == State::TrailerStart) {
                if (c == '\r') {
                    m_state = State::FinalLF;
                } else if (c == '\n') {
                    m_state = State::Done;
                    return finish(Result::Done);
                } else if (c == ' ' || c == '\t' || c == ':' || isBadControl(c)) {
                    // Folded lines and empty field names are not allowed.
                    return finish(fail(Error::Malformed));
                } else {
                    m_state = State::Trailer;
                }
            } else if (m_state == State::Trailer) {
                if (c == '\r')
                    m_state = State::TrailerLF;
                else if (c == '\n')
                    m_state = State::TrailerStart;
                else if (isBadControl(c))
                    return finish(fail(Error::Malformed));
            } else if (m_state == State::TrailerLF) {
                if (c != '\n')
                    return finish(fail(Error::Malformed));
                m_state = State::TrailerStart;
            } else { // FinalLF
                if (c != '\n')
                    return finish(fail(Error::Malformed));
                m_state = State::Done;
                return finish(Result::Done);
            }
            break;
        case State::Data:
        case State::Done:
        case State::Failed:
            break; // handled above; listed to keep the switch exhaustive
        }
    }
    return finish(Result::NeedMore);
}
