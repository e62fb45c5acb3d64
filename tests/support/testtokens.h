#pragma once

#include "oauth/oauthtypes.h"

class FakeQwenService;
class QNetworkAccessManager;

// A real token pair from the fake: the device flow with the real DeviceAuthorization,
// approved at once and polled quickly. Empty tokens when anything failed.
TokenSet signInThroughDeviceFlow(FakeQwenService &fake, QNetworkAccessManager *nam);
