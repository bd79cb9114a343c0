// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "eventquery.h"
#include "searchcontrol.h"

#include "eventstore/storeresult.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include <functional>

namespace EventScope {

class EventSearch;

/**
 * Writes the events an EventQuery selects (a stream, a search result, a correlation set) to a file, page by
 * page in position order: never all in memory. The file starts with a header naming the store, the filter,
 * the time and who exported. It is written through QSaveFile: on an error or a cancel the destination is
 * left as it was (no half-written file).
 *
 * JSON Lines: the first line is the header object {"eventscopeExport": 1, "store": …, "filter": {…},
 * "filterText": …, "exportedAt": …, "exportedBy": …, "role": …}; then one event per line in the format of
 * `eventscope-cli export`, which `eventscope-cli import` reads back (skipping the header).
 * CSV (RFC 4180): '#'-prefixed header lines, then a column row and one row per event (position, stream,
 * version, event id, type, schema version, recorded at, actor, correlation id, causation id, payload,
 * metadata).
 */
class EventExporter {
    Q_DECLARE_TR_FUNCTIONS(EventExporter)
public:
    enum class Format { JsonLines, Csv };

    struct Header {
        QString store; ///< how the store is named to people (no password)
        QString exportedBy; ///< actor
        QString role;
        QDateTime exportedAt; ///< UTC; invalid: now
    };

    /// Called after each page with the number of events written so far (on the exporting thread).
    using Progress = std::function<void(qint64 written)>;

    explicit EventExporter(const EventSearch& search);

    /// Writes every event \a query selects to \a path; returns how many. Cancelled (through \a control) or
    /// failed: nothing is written to \a path. Time limits of \a control apply per page, not to the whole export.
    StoreResult<qint64> exportTo(const QString& path, Format format, const EventQuery& query, const Header& header,
        SearchControl control = {}, const Progress& progress = {}) const;

    /// The format a file name suggests: ".csv" is Csv, everything else JsonLines.
    static Format formatForPath(const QString& path);

private:
    const EventSearch& m_search;
};

} // namespace EventScope
