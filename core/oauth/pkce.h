#pragma once

#include <QByteArray>

// Proof Key for Code Exchange, S256 (RFC 7636) as PROTOCOL.md §2 describes it.
struct Pkce
{
    QByteArray verifier;  // 32 random bytes, base64url without padding
    QByteArray challenge; // base64url(SHA-256(verifier)) without padding

    static Pkce generate();
    static QByteArray challengeFor(const QByteArray &verifier);
};
