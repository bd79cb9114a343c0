// SPDX-License-Identifier: Apache-2.0
#include "benchreport.h"

#include "machineinfo.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QtNumeric>

#include <cmath>

namespace EventScope {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("BenchReport", text);
}

QString formatNumber(double value)
{
    if (qIsNaN(value))
        return QStringLiteral("-");
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 1 ? 2 : 3;
    return QLocale::c().toString(value, 'f', decimals);
}

QJsonValue jsonNumber(double value)
{
    // JSON has no NaN: "no baseline" is null.
    return qIsFinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

} // namespace

void BenchReportPrinter::printTable(
    QTextStream& out, const QString& title, const BenchReport& report, const QString& ratioNote)
{
    struct Row {
        QString name, value, unit, baseline, ratio;
    };
    QList<Row> rows { { tr("figure"), tr("value"), tr("unit"), tr("baseline"), tr("ratio") } };
    for (const BenchFigure& figure : report.figures)
        rows.append({ figure.name, formatNumber(figure.value), figure.unit, formatNumber(figure.baseline),
            qIsNaN(figure.ratio) ? QStringLiteral("-") : QLocale::c().toString(figure.ratio, 'f', 2) });
    qsizetype widths[5] = { 0, 0, 0, 0, 0 };
    for (const Row& row : std::as_const(rows)) {
        widths[0] = std::max(widths[0], row.name.size());
        widths[1] = std::max(widths[1], row.value.size());
        widths[2] = std::max(widths[2], row.unit.size());
        widths[3] = std::max(widths[3], row.baseline.size());
        widths[4] = std::max(widths[4], row.ratio.size());
    }

    out << title << Qt::endl << Qt::endl;
    for (const Row& row : std::as_const(rows)) {
        // Names and units left-aligned, numbers right-aligned.
        out << row.name.leftJustified(widths[0]) << "  " << row.value.rightJustified(widths[1]) << "  "
            << row.unit.leftJustified(widths[2]) << "  " << row.baseline.rightJustified(widths[3]) << "  "
            << row.ratio.rightJustified(widths[4]) << Qt::endl;
    }
    out << Qt::endl << ratioNote << Qt::endl;
    if (!report.notes.isEmpty()) {
        out << Qt::endl << tr("Notes:") << Qt::endl;
        for (const QString& note : report.notes)
            out << "  - " << note << Qt::endl;
    }
    if (!report.environment.isEmpty()) {
        out << Qt::endl << tr("Environment:") << Qt::endl;
        for (auto it = report.environment.cbegin(); it != report.environment.cend(); ++it)
            out << "  " << it.key() << ": " << it.value() << Qt::endl;
    }
}

QJsonObject BenchReportPrinter::toJson(const QString& suite, const BenchReport& report, const QString& scale,
    const QJsonObject& parameters, const QJsonObject& extra)
{
    QJsonArray figures;
    for (const BenchFigure& figure : report.figures) {
        figures.append(QJsonObject { { QStringLiteral("name"), figure.name },
            { QStringLiteral("value"), jsonNumber(figure.value) }, { QStringLiteral("unit"), figure.unit },
            { QStringLiteral("baseline"), jsonNumber(figure.baseline) },
            { QStringLiteral("ratio"), jsonNumber(figure.ratio) } });
    }
    QJsonObject environment;
    for (auto it = report.environment.cbegin(); it != report.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    QJsonObject json { { QStringLiteral("suite"), suite }, { QStringLiteral("backend"), report.backend },
        { QStringLiteral("scale"), scale }, { QStringLiteral("parameters"), parameters },
        { QStringLiteral("figures"), figures }, { QStringLiteral("notes"), QJsonArray::fromStringList(report.notes) },
        { QStringLiteral("environment"), environment }, { QStringLiteral("machine"), MachineInfo::collect() } };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        json.insert(it.key(), it.value());
    return json;
}

void BenchReportPrinter::printJson(QTextStream& out, const QJsonObject& json)
{
    out << QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
    out.flush();
}

std::function<void(const QString&)> BenchReportPrinter::progressTo(QTextStream& err)
{
    return [&err](const QString& line) { err << "[bench] " << line << Qt::endl; };
}

} // namespace EventScope
