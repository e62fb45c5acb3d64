#include "settingsdialog.h"

#include "bridge/proxysettings.h"
#include "opencode/opencodeconfig.h"
#include "proxy/qwenmode.h"
#include "qwenmodesetting.h"
#include "settings/settings.h"
#include "settings/urlpolicy.h"
#include "usagesettingsgroup.h"
#include "util/logcategories.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrl>
#include <QVBoxLayout>

namespace {
bool envSet(const char *name)
{
    return !qgetenv(name).trimmed().isEmpty();
}
} // namespace

SettingsDialog::SettingsDialog(Settings *settings, bool demo, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(demo ? tr("Qwen Bridge Settings — DEMO") : tr("Qwen Bridge Settings"));
    auto *layout = new QVBoxLayout(this);

    auto *proxyBox = new QGroupBox(tr("Proxy"), this);
    auto *proxyForm = new QFormLayout(proxyBox);
    m_port = new QLineEdit(proxyBox);
    m_port->setObjectName(QStringLiteral("portEdit"));
    m_port->setMaxLength(5);
    m_port->setInputMethodHints(Qt::ImhDigitsOnly);
    proxyForm->addRow(tr("&Port on 127.0.0.1:"), m_port);
    if (m_settings->portFromEnvironment()) {
        m_port->setEnabled(false);
        proxyForm->addRow(QString(),
                          makeNote(tr("Set by the QWEN_BRIDGE_PORT environment variable.")));
    } else {
        proxyForm->addRow(QString(),
                          makeNote(tr("After a change, use Configure OpenCode… again.")));
    }

    m_qwenMode = new QComboBox(proxyBox);
    m_qwenMode->setObjectName(QStringLiteral("qwenModeCombo"));
    const QwenMode fromFile = QwenMode::resolve(std::nullopt, QDir::homePath());
    m_qwenMode->addItem(tr("On"), QStringLiteral("on"));
    m_qwenMode->addItem(tr("Off"), QStringLiteral("off"));
    m_qwenMode->addItem(fromFile.enabled ? tr("As auth-config.json says (now on)")
                                         : tr("As auth-config.json says (now off)"),
                        QString());
    m_qwenMode->setToolTip(tr("“As auth-config.json says” follows \"qwenMode\" in %1.")
                               .arg(QwenMode::configFilePath(QDir::homePath())));
    proxyForm->addRow(tr("Qwen &mode (QWEN_MODE):"), m_qwenMode);
    if (QwenModeSetting::setByEnvironment()) {
        m_qwenMode->setEnabled(false);
        proxyForm->addRow(QString(), makeNote(tr("Set by the QWEN_MODE environment variable.")));
    } else {
        proxyForm->addRow(
            QString(),
            makeNote(tr("Qwen Code's system prompt, with its tools mapped to OpenCode's.")));
    }
    m_routing = new QComboBox(proxyBox);
    m_routing->setObjectName(QStringLiteral("routingCombo"));
    m_routing->addItem(tr("Fill first (keeps the prompt cache warm)"),
                       QStringLiteral("fill_first"));
    m_routing->addItem(tr("Round robin"), QStringLiteral("round_robin"));
    proxyForm->addRow(tr("With several &credentials:"), m_routing);
    if (!qEnvironmentVariableIsEmpty("QWEN_BRIDGE_ROUTING")) {
        m_routing->setEnabled(false);
        proxyForm->addRow(QString(),
                          makeNote(tr("Set by the QWEN_BRIDGE_ROUTING environment variable.")));
    } else {
        proxyForm->addRow(QString(), makeNote(tr("A credential that runs out hands requests to "
                                                 "the next one (Accounts in the tray menu).")));
    }
    layout->addWidget(proxyBox);

    auto *openCodeBox = new QGroupBox(tr("OpenCode"), this);
    auto *openCodeForm = new QFormLayout(openCodeBox);
    m_providerId = new QLineEdit(openCodeBox);
    m_providerId->setObjectName(QStringLiteral("providerEdit"));
    openCodeForm->addRow(tr("Pro&vider id:"), m_providerId);
    openCodeForm->addRow(QString(), makeNote(tr("OpenCode model names start with it, as in "
                                                "“alibaba/coder-model”.")));
    layout->addWidget(openCodeBox);

    auto *loggingBox = new QGroupBox(tr("Logging"), this);
    auto *loggingLayout = new QVBoxLayout(loggingBox);
    m_debugLogging = new QCheckBox(tr("&Debug messages"), loggingBox);
    m_debugLogging->setObjectName(QStringLiteral("debugCheck"));
    loggingLayout->addWidget(m_debugLogging);
    if (envSet("DEBUG_QWEN_PLUGIN")) {
        m_debugLogging->setEnabled(false);
        loggingLayout->addWidget(
            makeNote(tr("Set by the DEBUG_QWEN_PLUGIN environment variable.")));
    }
    m_requestLogging =
        new QCheckBox(tr("&Write every request to a file (secrets removed)"), loggingBox);
    m_requestLogging->setObjectName(QStringLiteral("requestLogCheck"));
    loggingLayout->addWidget(m_requestLogging);
    QLabel *whereNote = makeNote(tr("The files go to the “requests” folder next to the logs."));
    whereNote->setToolTip(QDir::toNativeSeparators(Settings::requestLogDir()));
    loggingLayout->addWidget(whereNote);
    if (envSet("ENABLE_PLUGIN_REQUEST_LOGGING")) {
        m_requestLogging->setEnabled(false);
        loggingLayout->addWidget(
            makeNote(tr("Set by the ENABLE_PLUGIN_REQUEST_LOGGING environment variable.")));
    }
    layout->addWidget(loggingBox);

    auto *networkBox = new QGroupBox(tr("Network"), this);
    auto *networkForm = new QFormLayout(networkBox);
    m_networkProxy = new QComboBox(networkBox);
    m_networkProxy->setObjectName(QStringLiteral("networkProxyCombo"));
    m_networkProxy->addItem(tr("As the system says (https_proxy, no_proxy)"),
                            int(NetworkProxy::Mode::System));
    m_networkProxy->addItem(tr("None: connect directly"), int(NetworkProxy::Mode::None));
    m_networkProxy->addItem(tr("This HTTP proxy:"), int(NetworkProxy::Mode::Manual));
    networkForm->addRow(tr("HTTP pro&xy:"), m_networkProxy);
    m_networkProxyUrl = new QLineEdit(networkBox);
    m_networkProxyUrl->setObjectName(QStringLiteral("networkProxyUrlEdit"));
    m_networkProxyUrl->setPlaceholderText(QStringLiteral("http://user@proxy.example:3128"));
    networkForm->addRow(tr("Proxy add&ress:"), m_networkProxyUrl);
    m_networkProxyPassword = new QLineEdit(networkBox);
    m_networkProxyPassword->setObjectName(QStringLiteral("networkProxyPasswordEdit"));
    m_networkProxyPassword->setEchoMode(QLineEdit::Password);
    m_networkProxyPassword->setPlaceholderText(tr("unchanged"));
    networkForm->addRow(tr("Proxy pass&word:"), m_networkProxyPassword);
    networkForm->addRow(QString(), makeNote(tr("The password is kept in the keychain.")));
    auto manualFields = [this] {
        const bool manual =
            m_networkProxy->currentData().toInt() == int(NetworkProxy::Mode::Manual);
        m_networkProxyUrl->setEnabled(manual);
        m_networkProxyPassword->setEnabled(manual);
    };
    connect(m_networkProxy, &QComboBox::currentIndexChanged, this, manualFields);
    layout->addWidget(networkBox);
    m_usage = new UsageSettingsGroup(this);
    layout->addWidget(m_usage);

    auto *advanced = new QGroupBox(tr("Advanced: Qwen sign-in"), this);
    advanced->setObjectName(QStringLiteral("advancedBox"));
    auto *advancedForm = new QFormLayout(advanced);
    m_oauthBaseUrl = new QLineEdit(advanced);
    m_oauthBaseUrl->setObjectName(QStringLiteral("oauthUrlEdit"));
    m_oauthBaseUrl->setPlaceholderText(QLatin1String(Settings::kDefaultOAuthBase));
    advancedForm->addRow(tr("OAuth &base URL:"), m_oauthBaseUrl);
    if (demo) {
        m_oauthBaseUrl->setEnabled(false);
        advancedForm->addRow(QString(),
                             makeNote(tr("DEMO: the fake Qwen service on this computer.")));
    } else if (envSet("QWEN_BRIDGE_OAUTH_URL")) {
        m_oauthBaseUrl->setEnabled(false);
        advancedForm->addRow(
            QString(), makeNote(tr("Set by the QWEN_BRIDGE_OAUTH_URL environment variable.")));
    }
    m_clientId = new QLineEdit(advanced);
    m_clientId->setObjectName(QStringLiteral("clientIdEdit"));
    m_clientId->setPlaceholderText(QLatin1String(Settings::kDefaultClientId));
    advancedForm->addRow(tr("&Client id:"), m_clientId);
    advancedForm->addRow(QString(), makeNote(tr("Changes take effect at the next sign-in.")));
    layout->addWidget(advanced);

    m_errors = new QLabel(this);
    m_errors->setObjectName(QStringLiteral("errorLabel"));
    m_errors->setWordWrap(true);
    m_errors->setStyleSheet(QStringLiteral("QLabel { color: #b91c1c; }"));
    m_errors->setVisible(false);
    layout->addWidget(m_errors);

    auto *buttons =
        new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel |
                                 QDialogButtonBox::Apply | QDialogButtonBox::RestoreDefaults,
                             this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &SettingsDialog::apply);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            &SettingsDialog::restoreDefaults);
    layout->addWidget(buttons);

    // One label column for all the groups, so that the fields line up.
    int labelWidth = 0;
    const QList<QFormLayout *> forms = findChildren<QFormLayout *>();
    for (QFormLayout *form : forms) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole))
                labelWidth = qMax(labelWidth, item->widget()->sizeHint().width());
        }
    }
    for (QFormLayout *form : forms) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole))
                item->widget()->setMinimumWidth(labelWidth);
        }
    }
    setMinimumWidth(600);
    load();
}

QLabel *SettingsDialog::makeNote(const QString &text)
{
    // One line each: word-wrapped labels in a form get clipped when the dialog is first
    // laid out, so notes are kept short instead.
    auto *note = new QLabel(text, this);
    QFont small = note->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    note->setFont(small);
    QPalette dim = note->palette();
    dim.setColor(QPalette::WindowText, dim.color(QPalette::PlaceholderText));
    note->setPalette(dim);
    return note;
}

void SettingsDialog::load()
{
    m_port->setText(QString::number(m_settings->port()));
    m_qwenMode->setCurrentIndex(m_qwenMode->findData(QwenModeSetting::value(*m_settings)));
    m_providerId->setText(m_settings->providerId());
    m_debugLogging->setChecked(m_settings->debugLogging());
    m_requestLogging->setChecked(m_settings->requestLogging());
    m_oauthBaseUrl->setText(m_settings->oauthBaseUrl().toString());
    m_clientId->setText(m_settings->clientId());
    m_networkProxy->setCurrentIndex(
        m_networkProxy->findData(int(ProxySettings::mode(*m_settings))));
    m_networkProxyUrl->setText(m_settings->proxyUrl());
    m_networkProxyPassword->clear();
    const bool manual = m_networkProxy->currentData().toInt() == int(NetworkProxy::Mode::Manual);
    m_networkProxyUrl->setEnabled(manual);
    m_networkProxyPassword->setEnabled(manual);
    m_usage->load(*m_settings);
    m_routing->setCurrentIndex(qMax(0, m_routing->findData(m_settings->routingPolicy())));
}

void SettingsDialog::restoreDefaults()
{
    if (m_port->isEnabled())
        m_port->setText(QString::number(Settings::kDefaultPort));
    if (m_qwenMode->isEnabled())
        m_qwenMode->setCurrentIndex(m_qwenMode->findData(QString()));
    m_providerId->setText(QStringLiteral("alibaba"));
    if (m_debugLogging->isEnabled())
        m_debugLogging->setChecked(false);
    if (m_requestLogging->isEnabled())
        m_requestLogging->setChecked(false);
    if (m_oauthBaseUrl->isEnabled())
        m_oauthBaseUrl->setText(QLatin1String(Settings::kDefaultOAuthBase));
    m_clientId->setText(QLatin1String(Settings::kDefaultClientId));
    m_networkProxy->setCurrentIndex(m_networkProxy->findData(int(NetworkProxy::Mode::System)));
    m_usage->restoreDefaults();
    m_routing->setCurrentIndex(0);
}

QString SettingsDialog::checkPort(const QString &text, quint16 *port)
{
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < kMinPort || value > 65535) {
        return tr("The port must be a whole number from %1 to 65535 (ports below %1 need "
                  "administrator rights).")
            .arg(kMinPort);
    }
    if (port)
        *port = quint16(value);
    return {};
}

QString SettingsDialog::checkOAuthBaseUrl(const QString &text)
{
    // Tokens travel over this address: plain HTTP only to this computer (tests, the demo).
    return UrlPolicy::explain(UrlPolicy::checkBaseUrl(text),
                              QLatin1String(Settings::kDefaultOAuthBase));
}

QString SettingsDialog::checkProviderId(const QString &text)
{
    return OpenCodeConfig::checkProviderId(text.trimmed());
}

QString SettingsDialog::checkClientId(const QString &text)
{
    static const QRegularExpression valid(QStringLiteral("^[\\x21-\\x7e]{1,200}$"));
    if (!valid.match(text.trimmed()).hasMatch())
        return tr("The client id must not be empty or contain spaces.");
    return {};
}

QString SettingsDialog::checkNetworkProxyUrl(const QString &text)
{
    QString error;
    NetworkProxy::parseManual(text, &error);
    return error;
}

void SettingsDialog::markInvalid(QWidget *field, bool invalid)
{
    field->setStyleSheet(invalid ? QStringLiteral("QLineEdit { border: 2px solid #dc2626; }")
                                 : QString());
}

QString SettingsDialog::errorText() const
{
    return m_errors->isVisible() ? m_errors->text() : QString();
}

bool SettingsDialog::apply()
{
    QStringList problems;
    QWidget *firstBad = nullptr;
    auto check = [&](QLineEdit *field, const QString &problem) {
        const bool bad = field->isEnabled() && !problem.isEmpty();
        markInvalid(field, bad);
        if (bad) {
            problems << problem;
            if (!firstBad)
                firstBad = field;
        }
    };
    quint16 port = 0;
    check(m_port, checkPort(m_port->text(), &port));
    check(m_providerId, checkProviderId(m_providerId->text()));
    check(m_oauthBaseUrl, checkOAuthBaseUrl(m_oauthBaseUrl->text()));
    check(m_clientId, checkClientId(m_clientId->text()));
    check(m_networkProxyUrl, checkNetworkProxyUrl(m_networkProxyUrl->text()));
    if (!problems.isEmpty()) {
        m_errors->setText(problems.join(QLatin1Char('\n')));
        m_errors->setVisible(true);
        firstBad->setFocus();
        return false;
    }
    m_errors->setVisible(false);

    bool portMoved = false;
    if (m_port->isEnabled() && port != m_settings->port()) {
        m_settings->setPort(port);
        portMoved = true;
    }
    bool qwenModeMoved = false;
    if (m_qwenMode->isEnabled()) {
        const QString mode = m_qwenMode->currentData().toString();
        qwenModeMoved = mode != QwenModeSetting::value(*m_settings);
        QwenModeSetting::setValue(*m_settings, mode);
    }
    const QString providerId = m_providerId->text().trimmed();
    const bool providerChanged = providerId != m_settings->providerId();
    if (providerChanged)
        m_settings->setProviderId(providerId);

    bool loggingMoved = false;
    if (m_debugLogging->isEnabled() && m_debugLogging->isChecked() != m_settings->debugLogging()) {
        m_settings->setDebugLogging(m_debugLogging->isChecked());
        loggingMoved = true;
    }
    if (m_requestLogging->isEnabled() &&
        m_requestLogging->isChecked() != m_settings->requestLogging()) {
        m_settings->setRequestLogging(m_requestLogging->isChecked());
        loggingMoved = true;
    }

    bool signInMoved = false;
    if (m_oauthBaseUrl->isEnabled()) {
        const QUrl url(m_oauthBaseUrl->text().trimmed());
        if (url != m_settings->oauthBaseUrl()) {
            m_settings->setOAuthBaseUrl(url);
            signInMoved = true;
        }
    }
    const QString clientId = m_clientId->text().trimmed();
    if (clientId != m_settings->clientId()) {
        m_settings->setClientId(clientId);
        signInMoved = true;
    }
    const auto proxyMode = NetworkProxy::Mode(m_networkProxy->currentData().toInt());
    const QString proxyUrl =
        proxyMode == NetworkProxy::Mode::Manual ? m_networkProxyUrl->text().trimmed() : QString();
    const QString proxyPassword =
        proxyMode == NetworkProxy::Mode::Manual ? m_networkProxyPassword->text() : QString();
    const bool networkProxyMoved = proxyMode != ProxySettings::mode(*m_settings) ||
                                   proxyUrl != m_settings->proxyUrl() || !proxyPassword.isEmpty();
    m_networkProxyPassword->clear();
    m_usage->save(*m_settings);
    if (m_routing->isEnabled())
        m_settings->setRoutingPolicy(m_routing->currentData().toString());
    m_settings->sync();
    qCInfo(lcUi) << "settings saved; port moved:" << portMoved << "logging:" << loggingMoved
                 << "sign-in:" << signInMoved << "network proxy:" << networkProxyMoved;

    if (qwenModeMoved)
        Q_EMIT qwenModeChanged();
    if (portMoved)
        Q_EMIT portChanged(port);
    if (loggingMoved)
        Q_EMIT loggingChanged();
    if (portMoved || providerChanged)
        Q_EMIT openCodeSettingsChanged();
    if (signInMoved)
        Q_EMIT signInSettingsChanged();
    if (networkProxyMoved)
        Q_EMIT networkProxyChanged(proxyMode, proxyUrl, proxyPassword);
    Q_EMIT usageSettingsSaved();
    return true;
}

void SettingsDialog::accept()
{
    if (apply())
        QDialog::accept();
}
