#include "hub/hubsettings.h"

#include <QSettings>

namespace ccpm::hub {

HubSettings HubSettings::fromSettings(QSettings &settings)
{
    HubSettings s;
    settings.beginGroup(QStringLiteral("hub"));
    const auto read = [&settings](const char *key, auto &value) {
        const QVariant v = settings.value(QLatin1String(key));
        bool ok = false;
        const qint64 number = v.toLongLong(&ok);
        if (v.isValid() && ok && number > 0)
            value = static_cast<std::remove_reference_t<decltype(value)>>(number);
    };
    read("helloTimeoutMs", s.helloTimeoutMs);
    read("pingIntervalMs", s.pingIntervalMs);
    read("silenceTimeoutMs", s.silenceTimeoutMs);
    read("closeGraceMs", s.closeGraceMs);
    read("maxRequests", s.maxRequests);
    read("windowMs", s.windowMs);
    read("threads", s.threads);
    read("maxConnections", s.maxConnections);
    read("maxPendingHandshakes", s.maxPendingHandshakes);
    read("handshakeTimeoutMs", s.handshakeTimeoutMs);
    read("maxMessageBytes", s.maxMessageBytes);
    read("maxQueuedBytes", s.maxQueuedBytes);
    read("maxFailedLogins", s.maxFailedLogins);
    read("failedLoginWindowMs", s.failedLoginWindowMs);
    read("throttledLoginIntervalMs", s.throttledLoginIntervalMs);
    s.allowedOrigins = settings.value(QStringLiteral("allowedOrigins")).toStringList();
    settings.endGroup();
    return s;
}

} // namespace ccpm::hub
