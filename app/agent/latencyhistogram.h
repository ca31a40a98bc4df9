#pragma once

#include <QtGlobal>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace ccpm::agent {

/// Counts latencies in constant memory (132 KiB), whatever the number of samples, and
/// answers percentiles within 0.2 %: values below 1,024 µs are kept exactly, larger ones in 512
/// logarithmic sub-buckets per power of two (the HdrHistogram idea, without its generality).
/// Units: microseconds. Errors: none (values are clamped to 0 .. 2^40 µs). Thread: not shared.
class LatencyHistogram {
public:
    void record(qint64 micros)
    {
        ++m_buckets[indexOf(std::clamp<qint64>(micros, 0, kMax))];
        ++m_count;
    }
    quint64 count() const { return m_count; }

    /// The smallest recorded value (to the bucket's precision) such that `percent` % of the samples
    /// are at most it; 0 without samples.
    qint64 percentile(double percent) const
    {
        if (m_count == 0)
            return 0;
        const auto rank = quint64(std::max(1.0, std::ceil(percent / 100.0 * double(m_count))));
        quint64 seen = 0;
        for (std::size_t i = 0; i < m_buckets.size(); ++i) {
            seen += m_buckets[i];
            if (seen >= rank)
                return valueOf(i);
        }
        return kMax;
    }

private:
    static constexpr int kSubBits = 9;                             // 512 sub-buckets per power of two
    static constexpr qint64 kLinear = qint64(1) << (kSubBits + 1); // 1,024 exact values
    static constexpr int kPowers = 31;                             // up to 2^40 µs
    static constexpr qint64 kMax = (qint64(1) << 40) - 1;

    static std::size_t indexOf(qint64 v)
    {
        if (v < kLinear)
            return std::size_t(v);
        const int magnitude = int(std::bit_width(quint64(v))) - 1; // >= kSubBits + 1
        const int shift = magnitude - kSubBits;                    // >= 1
        const qint64 sub = (v >> shift) - (qint64(1) << kSubBits); // 0 .. 511
        return std::size_t(kLinear + qint64(shift - 1) * (qint64(1) << kSubBits) + sub);
    }
    /// The largest value that falls in bucket `i`.
    static qint64 valueOf(std::size_t i)
    {
        if (qint64(i) < kLinear)
            return qint64(i);
        const qint64 k = qint64(i) - kLinear;
        const int shift = int(k >> kSubBits) + 1;
        const qint64 sub = (k & ((qint64(1) << kSubBits) - 1)) + (qint64(1) << kSubBits);
        return ((sub + 1) << shift) - 1;
    }

    std::array<quint64, std::size_t(kLinear) + std::size_t(kPowers) * (std::size_t(1) << kSubBits)>
        m_buckets{};
    quint64 m_count = 0;
};

} // namespace ccpm::agent
