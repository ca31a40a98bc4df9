#include "agenttoken.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace ccpm {

QString AgentToken::generate()
{
    std::array<quint32, 8> words{}; // 256 bits
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words)));
    return QStringLiteral("ccpm_") + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding |
                                                                        QByteArray::OmitTrailingEquals));
}

QString AgentToken::hash(const QString &token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    // No early exit: every byte is looked at whatever the first difference. The volatile read
    // keeps the compiler from turning the loop back into memcmp.
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference = static_cast<unsigned char>(difference | (a[i] ^ b[i]));
    const volatile unsigned char result = difference;
    return result == 0;
}

} // namespace ccpm
