#include "password.h"

#include "agenttoken.h"

#include <QByteArray>

#include <crypt.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace ccpm {

namespace {

constexpr int MinCost = 4;
constexpr int MaxCost = 31;
constexpr qsizetype BcryptLength = 60; // "$2b$" + "NN$" + 22 salt + 31 hash characters

bool isBcryptAlphabet(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
}

/// Checked before crypt_rn so that only well-formed bcrypt strings reach libxcrypt: it would
/// otherwise happily pick another algorithm (DES, MD5, ...) from the prefix.
bool isBcryptHash(const QByteArray &hash)
{
    if (hash.size() != BcryptLength || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$')
        return false;
    if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y')
        return false;
    if (hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9')
        return false;
    const int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
    if (cost < MinCost || cost > MaxCost)
        return false;
    for (qsizetype i = 7; i < hash.size(); ++i)
        if (!isBcryptAlphabet(hash[i]))
            return false;
    return true;
}

/// Runs crypt_rn; empty on failure. libxcrypt returns NULL or, depending on the build, a string
/// starting with '*' when it fails.
QByteArray cryptWith(const QByteArray &phrase, const QByteArray &setting)
{
    // struct crypt_data is ~32 KiB: keep it off the stack. Zeroed, as crypt_rn asks.
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char *out = crypt_rn(phrase.constData(), setting.constData(), data.get(), int(sizeof(crypt_data)));
    QByteArray result = out && out[0] != '*' ? QByteArray(out) : QByteArray();
    // The output buffer also held the hash; wipe the key schedule and copies before freeing.
    std::memset(data.get(), 0, sizeof(crypt_data));
    return result;
}

} // namespace

Result<QString> Password::hash(const QString &plain, int cost)
{
    if (cost < MinCost || cost > MaxCost)
        return Error{Error::Kind::Invalid,
                     QStringLiteral("The bcrypt cost must be from %1 to %2, not %3.")
                         .arg(MinCost)
                         .arg(MaxCost)
                         .arg(cost),
                     {},
                     {}};
    if (plain.contains(QChar()))
        return Error{
            Error::Kind::Invalid, QStringLiteral("A password cannot contain a NUL character."), {}, {}};

    char setting[CRYPT_GENSALT_OUTPUT_SIZE] = {};
    // nullptr random bytes: libxcrypt reads the OS entropy source itself.
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting,
                          int(sizeof(setting))) ||
        setting[0] == '*')
        return Error{Error::Kind::Environment,
                     QStringLiteral("Could not create a bcrypt salt."),
                     QStringLiteral("crypt_gensalt_rn failed: %1").arg(qt_error_string(errno)),
                     {}};

    const QByteArray hashed = cryptWith(plain.toUtf8(), QByteArray(setting));
    if (!isBcryptHash(hashed))
        return Error{Error::Kind::Environment,
                     QStringLiteral("Could not hash the password with bcrypt."),
                     QStringLiteral("crypt_rn failed"),
                     {}};
    return QString::fromLatin1(hashed);
}

bool Password::verify(const QString &plain, const QString &hash)
{
    const QByteArray expected = hash.toLatin1();
    if (!isBcryptHash(expected) || plain.contains(QChar()))
        return false;
    const QByteArray actual = cryptWith(plain.toUtf8(), expected);
    return !actual.isEmpty() && constantTimeEquals(actual, expected);
}

} // namespace ccpm
