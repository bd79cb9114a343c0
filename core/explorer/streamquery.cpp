// SPDX-License-Identifier: Apache-2.0
#include "streamquery.h"

namespace EventScope {

namespace {

// '*' matches any run of characters (also none), '?' exactly one; everything else itself. Greedy with one
// backtracking point, linear in practice.
bool wildcardMatch(QStringView pattern, QStringView text)
{
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starPattern = -1;
    qsizetype starText = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || (pattern[p] != u'*' && pattern[p] == text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            starPattern = p++;
            starText = t;
        } else if (starPattern >= 0) {
            p = starPattern + 1;
            t = ++starText;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

} // namespace

bool StreamQuery::matches(const QString& streamId) const
{
    const QString trimmed = pattern.trimmed();
    if (trimmed.isEmpty())
        return true;
    if (!trimmed.contains(u'*') && !trimmed.contains(u'?'))
        return streamId.startsWith(trimmed);
    return wildcardMatch(trimmed, streamId);
}

} // namespace EventScope
