#include "oauth/pkce.h"

#include <QSet>
#include <QTest>

class TestPkce : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfc7636AppendixB()
    {
        // The worked example from RFC 7636 Appendix B.
        QCOMPARE(Pkce::challengeFor("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                 QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }
    void verifierShape()
    {
        const Pkce p = Pkce::generate();
        QCOMPARE(p.verifier.size(), 43); // 32 bytes, base64url, no padding
        QVERIFY(!p.verifier.contains('='));
        QVERIFY(!p.verifier.contains('+'));
        QVERIFY(!p.verifier.contains('/'));
        QCOMPARE(p.challenge, Pkce::challengeFor(p.verifier));
        QCOMPARE(p.challenge.size(), 43);
    }
    void verifiersDiffer()
    {
        QSet<QByteArray> seen;
        for (int i = 0; i < 100; ++i)
            seen.insert(Pkce::generate().verifier);
        QCOMPARE(seen.size(), 100);
    }
};

QTEST_GUILESS_MAIN(TestPkce)
#include "tst_pkce.moc"
