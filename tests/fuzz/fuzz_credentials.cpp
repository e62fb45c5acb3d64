// Fuzzes the credential parsers: Credentials::fromJson reads what Qwen Bridge stored in the
// keychain (or the opt-in file), LegacyImport::parse the token files of the tools it
// replaces. Both read files a person or another program may have edited.
//
// Neither may crash on any input. A credential either parser accepts must be complete, and
// must survive a round trip through toJson() and fromJson() unchanged, so that storing
// and loading a session never alters or loses it.
#include "credentials/credentials.h"
#include "credentials/legacyimport.h"
#include "fuzzcheck.h"

#include <QByteArray>

namespace {

bool sameCredentials(const Credentials &a, const Credentials &b)
{
    return a.method == b.method && a.accessToken == b.accessToken &&
           a.refreshToken == b.refreshToken && a.tokenType == b.tokenType &&
           a.expiresAt == b.expiresAt && a.resourceUrl == b.resourceUrl && a.apiKey == b.apiKey &&
           a.preset == b.preset && a.baseUrl == b.baseUrl;
}

// Stored and loaded again, a credential comes back the same, and storing that gives the
// same bytes.
void checkRoundTrip(const Credentials &c)
{
    FUZZ_CHECK(c.isValid());
    const QByteArray json = c.toJson();
    QString error;
    const Credentials again = Credentials::fromJson(json, &error);
    FUZZ_CHECK(error.isEmpty());
    FUZZ_CHECK(again.isValid());
    FUZZ_CHECK(sameCredentials(c, again));
    FUZZ_CHECK(again.toJson() == json);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    QString error;
    const Credentials c = Credentials::fromJson(json, &error);
    if (error.isEmpty()) {
        FUZZ_CHECK(c.method == AuthMethod::OAuth || c.method == AuthMethod::ApiKey);
        checkRoundTrip(c);
    } else {
        FUZZ_CHECK(!c.isValid() && c.method == AuthMethod::None);
    }
    FUZZ_CHECK(Credentials::fromJson(json).isValid() == error.isEmpty());

    const QString path = QStringLiteral("/home/someone/.qwen/oauth_creds.json");
    for (const auto source : {LegacyImport::Source::OpenCodePlugin, LegacyImport::Source::QwenCode,
                              LegacyImport::Source::File}) {
        const LegacyImport::Found found = LegacyImport::parse(json, path, source);
        FUZZ_CHECK(found.source == source && found.path == path);
        if (found.ok()) {
            FUZZ_CHECK(found.credentials.method == AuthMethod::OAuth);
            // Without a refresh token the session could not be kept alive.
            FUZZ_CHECK(!found.credentials.refreshToken.isEmpty());
            checkRoundTrip(found.credentials);
        } else {
            FUZZ_CHECK(!found.error.isEmpty());
            // The message names the file, never a token.
            FUZZ_CHECK(found.error.contains(path));
        }
    }
    return 0;
}
