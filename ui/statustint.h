// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QColor>
#include <QPalette>

namespace EventScope::StatusTint {

/// The hues the panes mark states with: good (added, matches), attention (changed, stale), bad (removed, differs).
inline const QColor Good(46, 160, 67);
inline const QColor Attention(219, 154, 4);
inline const QColor Bad(218, 54, 51);

inline bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

/// \a tint laid over the palette's \a background: strong enough to see, light enough to read the palette's own
/// text colour on it, in light and dark palettes alike.
inline QColor over(const QPalette& palette, const QColor& tint, QPalette::ColorRole background = QPalette::Base)
{
    const QColor base = palette.color(background);
    const qreal alpha = isDark(palette) ? 0.38 : 0.24;
    return QColor::fromRgbF(float(base.redF() * (1 - alpha) + tint.redF() * alpha),
        float(base.greenF() * (1 - alpha) + tint.greenF() * alpha),
        float(base.blueF() * (1 - alpha) + tint.blueF() * alpha));
}

/// A red for error text that reads well on the palette's window colour.
inline QColor errorText(const QPalette& palette)
{
    return isDark(palette) ? QColor(255, 128, 118) : QColor(176, 32, 24);
}

} // namespace EventScope::StatusTint
