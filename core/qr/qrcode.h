#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

// A QR code symbol from libqrencode, kept as a plain module matrix so that the terminal
// and the widgets can each draw it their own way.
class QrCode
{
public:
    static constexpr int kQuietZone = 4; // modules of light border the standard asks for

    static QrCode encode(const QByteArray &text);

    bool isNull() const { return m_size == 0; }
    int size() const { return m_size; } // modules per side, without the quiet zone
    bool isDark(int x, int y) const;    // false outside the symbol (the quiet zone)

    // Two modules per character cell using half blocks, quiet zone included.
    // ansi=true paints black on white explicitly so any terminal theme scans.
    QString toTerminalText(bool ansi) const;

private:
    int m_size = 0;
    QVector<bool> m_modules;
};
