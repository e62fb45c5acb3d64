#pragma once

#include "credentials/credentials.h"
#include "oauth/oauthtypes.h"

class FakeQwenService;
class QNetworkAccessManager;

// A real token pair from the fake: the device flow with the real DeviceAuthorization,
// approved at once and polled quickly. Empty tokens when anything failed.
TokenSet signInThroughDeviceFlow(FakeQwenService &fake, QNetworkAccessManager *nam);

// What the keychain holds for this home's keychain service right now (waits for it).
Credentials storedCredentials();

// A loopback port nobody listens on at the moment.
quint16 freeLoopbackPort();
