#include "qr/qrcode.h"

#include <qrencode.h>

QrCode QrCode::encode(const QByteArray &text)
{
    QrCode code;
    if (text.isEmpty())
        return code;
    QRcode *qr = QRcode_encodeData(int(text.size()),
                                   reinterpret_cast<const unsigned char *>(text.constData()), 0,
                                   QR_ECLEVEL_M);
    if (!qr)
        return code;
    code.m_size = qr->width;
    code.m_modules.resize(qr->width * qr->width);
    for (int i = 0; i < qr->width * qr->width; ++i)
        code.m_modules[i] = qr->data[i] & 1;
    QRcode_free(qr);
    return code;
}

bool QrCode::isDark(int x, int y) const
{
    if (x < 0 || y < 0 || x >= m_size || y >= m_size)
        return false;
    return m_modules[y * m_size + x];
}

QString QrCode::toTerminalText(bool ansi) const
{
    if (isNull())
        return {};
    const int from = -kQuietZone;
    const int to = m_size + kQuietZone;
    QString out;
    for (int y = from; y < to; y += 2) {
        if (ansi)
            out += QStringLiteral("\x1b[30;107m");
        for (int x = from; x < to; ++x) {
            const bool top = isDark(x, y);
            const bool bottom = y + 1 < to && isDark(x, y + 1);
            if (ansi) {
                // Black ink on a white background: draw the dark halves.
                out += top && bottom ? QChar(0x2588)
                       : top         ? QChar(0x2580)
                       : bottom      ? QChar(0x2584)
                                     : QChar(u' ');
            } else {
                // No colours: most terminals are light text on dark, so draw the light
                // halves and let the dark background be the ink.
                out += !top && !bottom ? QChar(0x2588)
                       : !top          ? QChar(0x2580)
                       : !bottom       ? QChar(0x2584)
                                       : QChar(u' ');
            }
        }
        if (ansi)
            out += QStringLiteral("\x1b[0m");
        out += QLatin1Char('\n');
    }
    return out;
}
