<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccountAggregate</name>
    <message>
        <location filename="../core/samples/account/accountaggregate.cpp" line="+32"/>
        <source>The account %1 does not exist. Open it first.</source>
        <translation>Das Konto %1 existiert nicht. Eröffnen Sie es zuerst.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The account %1 is closed; it takes no more changes.</source>
        <translation>Das Konto %1 ist geschlossen; es nimmt keine Änderungen mehr an.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The account %1 is frozen. Unfreeze it before moving money.</source>
        <translation>Das Konto %1 ist gesperrt. Entsperren Sie es, bevor Sie Geld bewegen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The account %1 exists already. Choose another id.</source>
        <translation>Das Konto %1 existiert bereits. Wählen Sie eine andere ID.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An account needs an owner.</source>
        <translation>Ein Konto braucht einen Inhaber.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;%1&quot; is not a currency code. Give a three-letter code such as EUR.</source>
        <translation>„%1“ ist kein Währungscode. Geben Sie einen Code aus drei Buchstaben an, z. B. EUR.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A deposit must be more than 0.00.</source>
        <translation>Eine Einzahlung muss größer als 0,00 sein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+18"/>
        <source>The transaction %1 is booked already.</source>
        <translation>Die Buchung %1 ist bereits erfasst.</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>A withdrawal must be more than 0.00.</source>
        <translation>Eine Auszahlung muss größer als 0,00 sein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Withdrawing %1 would overdraw the account %2 (balance %3). Withdraw at most the balance.</source>
        <translation>Eine Auszahlung von %1 würde das Konto %2 überziehen (Saldo %3). Zahlen Sie höchstens den Saldo aus.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The account %1 is frozen already.</source>
        <translation>Das Konto %1 ist bereits gesperrt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The account %1 is not frozen.</source>
        <translation>Das Konto %1 ist nicht gesperrt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The account %1 still holds %2. Withdraw it before closing.</source>
        <translation>Auf dem Konto %1 liegen noch %2. Zahlen Sie den Betrag vor dem Schließen aus.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The account %1 has no transaction %2 among its last %3. Check the id; older transactions are corrected with CorrectBalance.</source>
        <translation>Das Konto %1 hat unter seinen letzten %3 Buchungen keine Buchung %2. Prüfen Sie die ID; ältere Buchungen werden mit CorrectBalance korrigiert.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The transaction %1 is reversed already.</source>
        <translation>Die Buchung %1 ist bereits storniert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reversing %1 would make the balance of %2 negative. Correct the balance instead.</source>
        <translation>Die Stornierung von %1 würde den Saldo von %2 negativ machen. Korrigieren Sie stattdessen den Saldo.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A balance cannot be negative.</source>
        <translation>Ein Saldo kann nicht negativ sein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The balance of %1 is %2 already.</source>
        <translation>Der Saldo von %1 ist bereits %2.</translation>
    </message>
</context>
<context>
    <name>AccountBalanceProjection</name>
    <message>
        <location filename="../core/samples/account/accountbalanceprojection.cpp" line="+25"/>
        <source>Accounts with their owner, currency, balance and status.</source>
        <translation>Konten mit Inhaber, Währung, Saldo und Status.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>The payload of event %1 cannot be read.</source>
        <translation>Die Nutzdaten des Ereignisses %1 können nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at position %2 (stream %3) has no valid &quot;%4&quot; in its payload, which the account balances read model needs. Fix whatever wrote it; then skip this event, or retry it once it can be read.</source>
        <translation>%1 an Position %2 (Stream %3) hat in seinen Nutzdaten kein gültiges „%4“, das das Lesemodell der Kontensalden braucht. Beheben Sie die Ursache beim Schreiber; überspringen Sie dann dieses Ereignis oder wiederholen Sie es, sobald es lesbar ist.</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Writing the account balances read model failed.</source>
        <translation>Das Schreiben des Lesemodells der Kontensalden ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>AccountModule</name>
    <message>
        <location filename="../core/samples/account/accountmodule.cpp" line="+37"/>
        <source>The command or query %1 has a handler already.</source>
        <translation>Der Befehl oder die Abfrage %1 hat bereits einen Handler.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Who owns the account.</source>
        <translation>Wem das Konto gehört.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Currency of the account.</source>
        <translation>Währung des Kontos.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Amount, more than 0.00.</source>
        <translation>Betrag, größer als 0,00.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Id of the transaction; a new one when left empty.</source>
        <translation>ID der Buchung; leer lassen für eine neue.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Id of the deposit or withdrawal to undo.</source>
        <translation>ID der Ein- oder Auszahlung, die rückgängig gemacht werden soll.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The balance the account should have.</source>
        <translation>Der Saldo, den das Konto haben soll.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Opens an account for an owner in a currency.</source>
        <translation>Eröffnet ein Konto für einen Inhaber in einer Währung.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pays money into an open, unfrozen account.</source>
        <translation>Zahlt Geld auf ein offenes, nicht gesperrtes Konto ein.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Takes money out of an open, unfrozen account; no overdraft.</source>
        <translation>Hebt Geld von einem offenen, nicht gesperrten Konto ab; keine Überziehung.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stops all deposits and withdrawals.</source>
        <translation>Stoppt alle Ein- und Auszahlungen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Allows deposits and withdrawals again.</source>
        <translation>Erlaubt wieder Ein- und Auszahlungen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Closes an account whose balance is 0.00.</source>
        <translation>Schließt ein Konto mit einem Saldo von 0,00.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Corrective: undoes a deposit or withdrawal. Say why in the reason.</source>
        <translation>Korrektur: macht eine Ein- oder Auszahlung rückgängig. Nennen Sie den Grund.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Corrective: sets the balance to a corrected value. Say why in the reason.</source>
        <translation>Korrektur: setzt den Saldo auf einen korrigierten Wert. Nennen Sie den Grund.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>There is no account %1 (not found in the account balances read model). Check the id; an account opened just now appears once the projection has caught up.</source>
        <translation>Es gibt kein Konto %1 (nicht im Lesemodell der Kontensalden gefunden). Prüfen Sie die ID; ein gerade eröffnetes Konto erscheint, sobald die Projektion aufgeholt hat.</translation>
    </message>
</context>
<context>
    <name>AccountStatementProjection</name>
    <message>
        <location filename="../core/samples/account/accountstatementprojection.cpp" line="+38"/>
        <source>Statement lines of every account: each deposit, withdrawal, reversal and correction with the balance after it.</source>
        <translation>Kontoauszugszeilen aller Konten: jede Ein- und Auszahlung, Stornierung und Korrektur mit dem Saldo danach.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The payload of event %1 cannot be read.</source>
        <translation>Die Nutzdaten des Ereignisses %1 können nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at position %2 (stream %3) has no valid &quot;%4&quot; in its payload, which the account statements read model needs. Fix whatever wrote it; then skip this event, or retry it once it can be read.</source>
        <translation>%1 an Position %2 (Stream %3) hat in seinen Nutzdaten kein gültiges „%4“, das das Lesemodell der Kontoauszüge braucht. Beheben Sie die Ursache beim Schreiber; überspringen Sie dann dieses Ereignis oder wiederholen Sie es, sobald es lesbar ist.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Writing the account statements read model failed.</source>
        <translation>Das Schreiben des Lesemodells der Kontoauszüge ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>AggregateBenchmark</name>
    <message>
        <location filename="../core/bench/aggregatebenchmark.cpp" line="+67"/>
        <source>The aggregate benchmark failed: %1</source>
        <translation>Der Aggregat-Benchmark ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>The aggregate benchmark needs at least two ascending sizes of at least 1 event, and repetitions, seed batch and snapshot frequency of at least 1.</source>
        <translation>Der Aggregat-Benchmark braucht mindestens zwei aufsteigende Größen von mindestens 1 Ereignis sowie Wiederholungen, Seed-Stapel und Snapshot-Häufigkeit von mindestens 1.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>SQLite: each size in a new temporary file.</source>
        <translation>SQLite: jede Größe in einer neuen temporären Datei.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PostgreSQL: each size in a new schema es_bench_%1_agg&lt;size&gt;, dropped afterwards.</source>
        <translation>PostgreSQL: jede Größe in einem neuen Schema es_bench_%1_agg&lt;size&gt;, das danach gelöscht wird.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Times are the median of %1 loads of one Account aggregate through Repository::load(), after one unmeasured load; snapshots every %2 events, the last %3 kept.</source>
        <translation>Die Zeiten sind der Median von %1 Ladevorgängen eines Account-Aggregats über Repository::load(), nach einem ungemessenen Ladevorgang; Momentaufnahmen alle %2 Ereignisse, die letzten %3 werden behalten.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>flatness: with snapshots, loading %1 events takes %2× the time of %3 events (target: at most 2×) – %4.</source>
        <translation>Flachheit: mit Momentaufnahmen dauert das Laden von %1 Ereignissen das %2-Fache von %3 Ereignissen (Ziel: höchstens 2×) – %4.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>met</source>
        <translation>erfüllt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NOT met</source>
        <translation>NICHT erfüllt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 events: seeding in appends of %2 (not measured)</source>
        <translation>%1 Ereignisse: Befüllung in Anhängevorgängen zu %2 (nicht gemessen)</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Loading the %1-event account %2 snapshots gave version %3, balance %4, from snapshot %5 with %6 events replayed; expected version %7, balance %8, from snapshot %9. The repository or the snapshot store is broken.</source>
        <translation>Das Laden des Kontos mit %1 Ereignissen %2 Momentaufnahmen ergab Version %3, Saldo %4, ab Momentaufnahme %5 mit %6 wiederholten Ereignissen; erwartet waren Version %7, Saldo %8, ab Momentaufnahme %9. Das Repository oder der Snapshot-Speicher ist defekt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>with</source>
        <translation>mit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>without</source>
        <translation>ohne</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 events: loading %2 times without and with snapshots</source>
        <translation>%1 Ereignisse: %2-maliges Laden ohne und mit Momentaufnahmen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 events: no snapshot (fewer than %2 events), both modes replay every event.</source>
        <translation>%1 Ereignisse: keine Momentaufnahme (weniger als %2 Ereignisse), beide Modi spielen jedes Ereignis ab.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 events: with snapshots the load starts at version %2 and replays %3 events; the snapshot state is %4 bytes of JSON.</source>
        <translation>%1 Ereignisse: mit Momentaufnahmen beginnt das Laden bei Version %2 und spielt %3 Ereignisse ab; der Zustand der Momentaufnahme umfasst %4 Bytes JSON.</translation>
    </message>
</context>
<context>
    <name>AggregateCommandHandler</name>
    <message>
        <location filename="../core/engine/aggregatecommandhandler.cpp" line="+39"/>
        <source>Give the id of the %1 to change.</source>
        <translation>Geben Sie die ID des zu ändernden %1 an.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 is at version %2, not at version %3 as expected: it changed meanwhile. Look at the new events and decide again.</source>
        <translation>%1 ist bei Version %2, nicht wie erwartet bei Version %3: es wurde inzwischen geändert. Sehen Sie sich die neuen Ereignisse an und entscheiden Sie erneut.</translation>
    </message>
</context>
<context>
    <name>AuthorizationMiddleware</name>
    <message>
        <location filename="../core/cqrs/authorizationmiddleware.cpp" line="+17"/>
        <source>Commands need an actor: sign in or pass your user name.</source>
        <translation>Befehle brauchen einen Akteur: melden Sie sich an oder geben Sie Ihren Benutzernamen an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Auditors have read-only access and cannot run &quot;%1&quot;. Ask a support engineer or developer.</source>
        <translation>Prüfer haben nur Lesezugriff und können „%1“ nicht ausführen. Fragen Sie jemanden vom Support oder einen Entwickler.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only developers may run &quot;%1&quot;. Ask a developer, or use a corrective command if one fits.</source>
        <translation>Nur Entwickler dürfen „%1“ ausführen. Fragen Sie einen Entwickler oder verwenden Sie einen passenden Korrekturbefehl.</translation>
    </message>
</context>
<context>
    <name>CommandBus</name>
    <message>
        <location filename="../core/cqrs/commandbus.cpp" line="+47"/>
        <source>The handler of &quot;%1&quot; failed: %2. Nothing was written; report this as a bug.</source>
        <translation>Der Handler von „%1“ ist fehlgeschlagen: %2. Es wurde nichts geschrieben; melden Sie dies als Fehler.</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Dispatching &quot;%1&quot; failed: %2. Report this as a bug.</source>
        <translation>Das Zustellen von „%1“ ist fehlgeschlagen: %2. Melden Sie dies als Fehler.</translation>
    </message>
</context>
<context>
    <name>CommandError</name>
    <message>
        <location filename="../core/cqrs/commanderror.cpp" line="+27"/>
        <source>The command was not run because some values need correcting. %1</source>
        <translation>Der Befehl wurde nicht ausgeführt, weil einige Werte korrigiert werden müssen. %1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>There is no command called &quot;%1&quot;. Check its spelling, or list the available commands.</source>
        <translation>Es gibt keinen Befehl namens „%1“. Prüfen Sie die Schreibweise oder lassen Sie sich die verfügbaren Befehle auflisten.</translation>
    </message>
</context>
<context>
    <name>DemoSeeder</name>
    <message numerus="yes">
        <location filename="../core/samples/demoseeder.cpp" line="+213"/>
        <source>The demo events were written, but could not be spread over the last %n day(s): %1</source>
        <translation>
            <numerusform>Die Demo-Ereignisse wurden geschrieben, konnten aber nicht über den letzten %n Tag verteilt werden: %1</numerusform>
            <numerusform>Die Demo-Ereignisse wurden geschrieben, konnten aber nicht über die letzten %n Tage verteilt werden: %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The stream %1 already holds another event at version %2: it was written by another program or by a demo seeding with other options. Seed into a new store, or use another seed.</source>
        <translation>Der Stream %1 enthält bei Version %2 bereits ein anderes Ereignis: es wurde von einem anderen Programm oder einer Demo-Befüllung mit anderen Optionen geschrieben. Befüllen Sie einen neuen Speicher oder verwenden Sie einen anderen Seed.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>The demo command %1 on %2 was refused: %3</source>
        <translation>Der Demo-Befehl %1 auf %2 wurde abgelehnt: %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The demo command %1 on %2 wrote %3 events up to version %4 where one event at version %5 was expected.</source>
        <translation>Der Demo-Befehl %1 auf %2 schrieb %3 Ereignisse bis Version %4, wo ein Ereignis bei Version %5 erwartet war.</translation>
    </message>
    <message>
        <location line="+285"/>
        <source>A demo history spans 0 to %1 days (0 keeps the times of the appends), not %2.</source>
        <translation>Eine Demo-Historie umfasst 0 bis %1 Tage (0 behält die Zeiten der Anhänge bei), nicht %2.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Demo seeding needs at least one user and one event, and no negative number of accounts (got %1 users, %2 accounts, %3 events).</source>
        <translation>Das Befüllen mit Demodaten braucht mindestens einen Benutzer und ein Ereignis und keine negative Anzahl von Konten (erhalten: %1 Benutzer, %2 Konten, %3 Ereignisse).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The demo domains could not be registered: %1</source>
        <translation>Die Demo-Domänen konnten nicht registriert werden: %1</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <location filename="../core/engine/engine.cpp" line="+78"/>
        <source>The domain module &quot;%1&quot; could not be registered: %2</source>
        <translation>Das Domänenmodul „%1“ konnte nicht registriert werden: %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The query %1 is registered by a domain module already; it belongs to the engine.</source>
        <translation>Die Abfrage %1 wird bereits von einem Domänenmodul registriert; sie gehört der Engine.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The projection &quot;%1&quot; of %2 could not be added: %3</source>
        <translation>Die Projektion „%1“ von %2 konnte nicht hinzugefügt werden: %3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the domain module &quot;%1&quot;</source>
        <translation>das Domänenmodul „%1“</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the engine</source>
        <translation>die Engine</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>GetOperatorAuditLog takes &quot;limit&quot; (1 to 10000, default 200) and &quot;beforeId&quot; (the id of the oldest entry seen, for the next page).</source>
        <translation>GetOperatorAuditLog nimmt „limit“ (1 bis 10000, Standard 200) und „beforeId“ (die ID des ältesten gesehenen Eintrags, für die nächste Seite).</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The queries ListProjections and GetOperatorAuditLog belong to the engine; a domain module registers one of them already.</source>
        <translation>Die Abfragen ListProjections und GetOperatorAuditLog gehören der Engine; ein Domänenmodul registriert bereits eine davon.</translation>
    </message>
</context>
<context>
    <name>EventExporter</name>
    <message>
        <location filename="../core/explorer/eventexporter.cpp" line="+111"/>
        <source>The export was cancelled; %1 was left as it was.</source>
        <translation>Der Export wurde abgebrochen; %1 blieb unverändert.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not write the export to %1: %2. Choose a folder you may write to, with space left.</source>
        <translation>Der Export konnte nicht nach %1 geschrieben werden: %2. Wählen Sie einen Ordner, in den Sie schreiben dürfen und der genug freien Platz hat.</translation>
    </message>
</context>
<context>
    <name>EventJson</name>
    <message>
        <location filename="../core/explorer/eventjson.cpp" line="+129"/>
        <source>not valid JSON: %1 at offset %2</source>
        <translation>kein gültiges JSON: %1 bei Offset %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not a JSON object</source>
        <translation>kein JSON-Objekt</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>missing or invalid %1</source>
        <translation>%1 fehlt oder ist ungültig</translation>
    </message>
</context>
<context>
    <name>EventQuery</name>
    <message>
        <location filename="../core/explorer/eventquery.cpp" line="+105"/>
        <source>&apos;%1&apos; is not a stream category. A category is the part of a stream id before its first &apos;-&apos; (&quot;user&quot; for &quot;user-42&quot;); give it without the &apos;-&apos;.</source>
        <translation>&apos;%1&apos; ist keine Stream-Kategorie. Eine Kategorie ist der Teil einer Stream-ID vor dem ersten &apos;-&apos; („user“ für „user-42“); geben Sie sie ohne &apos;-&apos; an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The time range is empty: it starts at %1, which is not before its end %2. Set the start before the end, or leave one of them open.</source>
        <translation>Der Zeitraum ist leer: er beginnt bei %1, was nicht vor seinem Ende %2 liegt. Legen Sie den Beginn vor das Ende oder lassen Sie eine Seite offen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The payload condition has a value (&quot;%1&quot;) but no field. Give the field&apos;s path, such as email or address.city.</source>
        <translation>Die Nutzdaten-Bedingung hat einen Wert („%1“), aber kein Feld. Geben Sie den Pfad des Felds an, z. B. email oder address.city.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The payload field &apos;%1&apos; has an empty key. Write keys separated by single dots, such as address.city.</source>
        <translation>Das Nutzdatenfeld &apos;%1&apos; hat einen leeren Schlüssel. Trennen Sie Schlüssel durch einzelne Punkte, z. B. address.city.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The payload field &apos;%1&apos; contains &apos;%2&apos;. A field path is object keys separated by dots (address.city); keys may hold letters, digits, &apos;_&apos; and &apos;-&apos; only.</source>
        <translation>Das Nutzdatenfeld &apos;%1&apos; enthält &apos;%2&apos;. Ein Feldpfad besteht aus durch Punkte getrennten Objektschlüsseln (address.city); Schlüssel dürfen nur Buchstaben, Ziffern, &apos;_&apos; und &apos;-&apos; enthalten.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>stream %1</source>
        <translation>Stream %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>categories %1</source>
        <translation>Kategorien %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>types %1</source>
        <translation>Typen %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>since %1</source>
        <translation>seit %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>before %1</source>
        <translation>vor %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>actor %1</source>
        <translation>Akteur %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>correlation %1</source>
        <translation>Korrelation %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>payload %1 contains &quot;%2&quot; (ignoring case)</source>
        <translation>Nutzdaten %1 enthält „%2“ (ohne Groß-/Kleinschreibung)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>payload %1 = &quot;%2&quot;</source>
        <translation>Nutzdaten %1 = „%2“</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all events</source>
        <translation>alle Ereignisse</translation>
    </message>
</context>
<context>
    <name>EventScope::AlertModel</name>
    <message>
        <location filename="../ui/models/alertmodel.cpp" line="+29"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>Projection lag: %1</source>
        <translation>Projektionsrückstand: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Circuit breaker open: %1</source>
        <translation>Circuit Breaker offen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Command errors</source>
        <translation>Befehlsfehler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Store latency: %1</source>
        <translation>Speicherlatenz: %1</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>raised</source>
        <translation>ausgelöst</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cleared</source>
        <translation>aufgehoben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Back to normal after %1. It was: %2</source>
        <translation>Nach %1 wieder normal. Es war: %2</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What to do</source>
        <translation>Was zu tun ist</translation>
    </message>
</context>
<context>
    <name>EventScope::AlertMonitor</name>
    <message>
        <location filename="../core/monitoring/alertmonitor.cpp" line="+30"/>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Alerts are turned off (alerts.enabled in the configuration).</source>
        <translation>Alarme sind ausgeschaltet (alerts.enabled in der Konfiguration).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alert is active.</source>
        <translation>Kein Alarm ist aktiv.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>[%1 since %2] %3</source>
        <translation>[%1 seit %2] %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 alert active: %1</source>
        <translation>1 Alarm aktiv: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 alerts active: %2</source>
        <translation>%1 Alarme aktiv: %2</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>It is faulted: retry or skip the event in the Projections pane.</source>
        <translation>Sie ist fehlgeschlagen: wiederholen oder überspringen Sie das Ereignis im Bereich „Projektionen“.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It is paused: resume it in the Projections pane.</source>
        <translation>Sie ist pausiert: setzen Sie sie im Bereich „Projektionen“ fort.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It is stopped: start the projections (this instance does not run them).</source>
        <translation>Sie ist gestoppt: starten Sie die Projektionen (diese Instanz führt sie nicht aus).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It runs in another instance (%1): check that instance and its database connection.</source>
        <translation>Sie läuft in einer anderen Instanz (%1): prüfen Sie diese Instanz und ihre Datenbankverbindung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It is %1 at %2 events/s: check its last error and the database load.</source>
        <translation>Sie ist %1 bei %2 Ereignissen/s: prüfen Sie ihren letzten Fehler und die Datenbanklast.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 events</source>
        <translation>%1 Ereignisse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Projection %1 is %2 events (%3) behind (alert at %4). %5</source>
        <translation>Die Projektion %1 liegt %2 Ereignisse (%3) zurück (Alarm ab %4). %5</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Circuit breaker %1 is half-open: trial calls are testing the event store. The alert clears once they succeed; if it opens again, check the database.</source>
        <translation>Der Circuit Breaker %1 ist halb offen: Probeaufrufe testen den Event-Store. Der Alarm wird aufgehoben, sobald sie gelingen; öffnet er erneut, prüfen Sie die Datenbank.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Circuit breaker %1 has been open for %2: event-store calls are refused and commands fail with &quot;store unavailable&quot;. Check that the database is reachable and not overloaded; the breaker retries by itself after its sleep window.</source>
        <translation>Der Circuit Breaker %1 ist seit %2 offen: Aufrufe an den Event-Store werden abgewiesen und Befehle schlagen mit „Speicher nicht verfügbar“ fehl. Prüfen Sie, ob die Datenbank erreichbar und nicht überlastet ist; der Breaker versucht es nach seinem Ruhefenster von selbst erneut.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 of the last %2 commands failed (%3 in the last %4; alert at %5). Look at the log pane and the event store&apos;s health; &quot;store unavailable&quot; means the database, &quot;handler failed&quot; a bug to report.</source>
        <translation>%1 der letzten %2 Befehle sind fehlgeschlagen (%3 in den letzten %4; Alarm ab %5). Sehen Sie sich den Protokollbereich und den Zustand des Event-Stores an; „Speicher nicht verfügbar“ weist auf die Datenbank hin, „Handler fehlgeschlagen“ auf einen zu meldenden Fehler.</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Event-store %1 calls are slow: %2 %3 over the last %4 calls in %5 (alert at %6). Check the database&apos;s load, disk and network; long transactions or a missing index can hold calls up.</source>
        <translation>Event-Store-Aufrufe (%1) sind langsam: %2 %3 über die letzten %4 Aufrufe in %5 (Alarm ab %6). Prüfen Sie Last, Festplatte und Netzwerk der Datenbank; lange Transaktionen oder ein fehlender Index können Aufrufe aufhalten.</translation>
    </message>
</context>
<context>
    <name>EventScope::AlertNotifier</name>
    <message>
        <location filename="../ui/alertnotifier.cpp" line="+79"/>
        <source>No alerts</source>
        <translation>Keine Alarme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alert is active. Click to see the alert history.</source>
        <translation>Kein Alarm ist aktiv. Klicken Sie, um den Alarmverlauf zu sehen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alerts are watched once a store is open.</source>
        <translation>Alarme werden überwacht, sobald ein Speicher geöffnet ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⚠ 1 alert</source>
        <translation>⚠ 1 Alarm</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>⚠ %1 alerts</source>
        <translation>⚠ %1 Alarme</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>1 alert active (click to see it):</source>
        <translation>1 Alarm aktiv (klicken, um ihn zu sehen):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 alerts active (click to see them):</source>
        <translation>%1 Alarme aktiv (klicken, um sie zu sehen):</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>EventScope alert</source>
        <translation>EventScope-Alarm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>EventScope: %1 new alerts</source>
        <translation>EventScope: %1 neue Alarme</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>EventScope alerts</source>
        <translation>EventScope-Alarme</translation>
    </message>
</context>
<context>
    <name>EventScope::AlertsPane</name>
    <message numerus="yes">
        <location filename="../ui/alertspane.cpp" line="+23"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Alerts active now; each clears by itself once its value is back below the threshold</source>
        <translation>Jetzt aktive Alarme; jeder wird von selbst aufgehoben, sobald sein Wert wieder unter dem Schwellwert liegt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alerts raised and cleared, newest first</source>
        <translation>Ausgelöste und aufgehobene Alarme, neueste zuerst</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Alerts are not watched: no store is open.</source>
        <translation>Alarme werden nicht überwacht: kein Speicher ist geöffnet.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alerts are turned off (alerts.enabled: false in the configuration).</source>
        <translation>Alarme sind ausgeschaltet (alerts.enabled: false in der Konfiguration).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alert is active.</source>
        <translation>Kein Alarm ist aktiv.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 alert is active.</source>
        <translation>1 Alarm ist aktiv.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 alerts are active.</source>
        <translation>%1 Alarme sind aktiv.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 events</source>
        <translation>%1 Ereignisse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>projection lag ≥ %1</source>
        <translation>Projektionsrückstand ≥ %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>circuit breaker open ≥ %1</source>
        <translation>Circuit Breaker offen ≥ %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>circuit breaker open</source>
        <translation>Circuit Breaker offen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>command errors ≥ %1% over %2 (at least %3 commands)</source>
        <translation>Befehlsfehler ≥ %1% über %2 (mindestens %3 Befehle)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>p95 ≥ %1</source>
        <translation>p95 ≥ %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>p99 ≥ %1</source>
        <translation>p99 ≥ %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>store latency %1 over %2</source>
        <translation>Speicherlatenz %1 über %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every threshold is off. Set them in the alerts: section of the configuration.</source>
        <translation>Alle Schwellwerte sind aus. Legen Sie sie im Abschnitt alerts: der Konfiguration fest.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thresholds: %1; checked every %2. Change them in the alerts: section of the configuration.</source>
        <translation>Schwellwerte: %1; geprüft alle %2. Ändern Sie sie im Abschnitt alerts: der Konfiguration.</translation>
    </message>
</context>
<context>
    <name>EventScope::ChartsPane</name>
    <message>
        <location filename="../ui/chartspane.cpp" line="+111"/>
        <source>Up</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Degraded</source>
        <translation>Beeinträchtigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Down</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>&amp;Show:</source>
        <translation>&amp;Anzeigen:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Last minute</source>
        <translation>Letzte Minute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 5 minutes</source>
        <translation>Letzte 5 Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 10 minutes</source>
        <translation>Letzte 10 Minuten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How much history the live charts show (they keep the last 10 minutes).</source>
        <translation>Wie viel Verlauf die Live-Diagramme zeigen (sie behalten die letzten 10 Minuten).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Resilience</source>
        <translation>&amp;Resilienz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Metrics</source>
        <translation>&amp;Metriken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Events per type</source>
        <translation>&amp;Ereignisse pro Typ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Health</source>
        <translation>&amp;Zustand</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>half-open</source>
        <translation>halb offen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+304"/>
        <source>Start &amp;chaos drill</source>
        <translation>&amp;Chaos-Übung starten</translation>
    </message>
    <message>
        <location line="-290"/>
        <source>&amp;Failure rate:</source>
        <translation>&amp;Fehlerrate:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Share of the domain&apos;s event-store calls that fail during the drill.</source>
        <translation>Anteil der Event-Store-Aufrufe der Domäne, die während der Übung fehlschlagen.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Circuit breaker state</source>
        <translation>Zustand der Circuit Breaker</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>breaker %1</source>
        <translation>Breaker %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Retries, timeouts and rejections</source>
        <translation>Wiederholungen, Zeitüberschreitungen und Abweisungen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>calls/s</source>
        <translation>Aufrufe/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>retries/s (%1)</source>
        <translation>Wiederholungen/s (%1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>timeouts/s (%1)</source>
        <translation>Zeitüberschreitungen/s (%1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>refused by breaker/s (%1)</source>
        <translation>vom Breaker abgewiesen/s (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bulkhead</source>
        <translation>Bulkhead</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>calls</source>
        <translation>Aufrufe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>in use (%1)</source>
        <translation>belegt (%1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>queued (%1)</source>
        <translation>wartend (%1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>rejected/s (%1)</source>
        <translation>abgewiesen/s (%1)</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+18"/>
        <source>Commands by outcome</source>
        <translation>Befehle nach Ergebnis</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+18"/>
        <source>commands/s</source>
        <translation>Befehle/s</translation>
    </message>
    <message>
        <location line="-15"/>
        <location line="+18"/>
        <location line="+27"/>
        <source>%1</source>
        <translation>%1</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>events/s</source>
        <translation>Ereignisse/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>appended/s</source>
        <translation>angehängt/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>handled/s</source>
        <translation>verarbeitet/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Append latency (last 10 s)</source>
        <translation>Latenz beim Anhängen (letzte 10 s)</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Read latency (last 10 s)</source>
        <translation>Latenz beim Lesen (letzte 10 s)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Projection lag</source>
        <translation>Projektionsrückstand</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>events behind</source>
        <translation>Ereignisse zurück</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&amp;Days:</source>
        <translation>&amp;Tage:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last %1 days</source>
        <translation>Letzte %1 Tage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many days (UTC) the chart covers, today included.</source>
        <translation>Wie viele Tage (UTC) das Diagramm umfasst, heute eingeschlossen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;load</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the event type statistics again (they also reload every 30 seconds).</source>
        <translation>Die Ereignistyp-Statistik neu lesen (sie wird auch alle 30 Sekunden neu geladen).</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Events per type per day (UTC)</source>
        <translation>Ereignisse pro Typ und Tag (UTC)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Check &amp;now</source>
        <translation>&amp;Jetzt prüfen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run every health check now (they also run every 5 seconds while shown).</source>
        <translation>Alle Zustandsprüfungen jetzt ausführen (sie laufen auch alle 5 Sekunden, solange sie angezeigt werden).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Checked</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The checks `eventscope-cli serve` answers on /health: the database itself (eventstore), the store as commands reach it through retries, breaker and bulkhead (storeaccess), the read models (projections) and the circuit breakers (resilience). A check that does not answer in time counts as down. Checked every 5 seconds while shown.</source>
        <translation>Die Prüfungen, die `eventscope-cli serve` unter /health beantwortet: die Datenbank selbst (eventstore), der Speicher, wie Befehle ihn über Wiederholungen, Breaker und Bulkhead erreichen (storeaccess), die Lesemodelle (projections) und die Circuit Breaker (resilience). Eine Prüfung, die nicht rechtzeitig antwortet, gilt als ausgefallen. Geprüft alle 5 Sekunden, solange angezeigt.</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+183"/>
        <source>Not connected: open an event store to see its events per type.</source>
        <translation>Nicht verbunden: öffnen Sie einen Event-Store, um seine Ereignisse pro Typ zu sehen.</translation>
    </message>
    <message>
        <location line="-159"/>
        <source>Chaos drill on: %1 % of store calls fail</source>
        <translation>Chaos-Übung an: %1 % der Speicheraufrufe schlagen fehl</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only the developer role may start a chaos drill; you are connected as %1. Reconnect as a developer to run one.</source>
        <translation>Nur die Rolle Entwickler darf eine Chaos-Übung starten; Sie sind als %1 verbunden. Verbinden Sie sich als Entwickler neu, um eine auszuführen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No event store is open. Connect to a store to run a chaos drill.</source>
        <translation>Kein Event-Store ist geöffnet. Verbinden Sie sich mit einem Speicher, um eine Chaos-Übung auszuführen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This connection was opened without fault injection, so a chaos drill cannot run on it. Reconnect to enable drills.</source>
        <translation>Diese Verbindung wurde ohne Fehlerinjektion geöffnet, daher kann auf ihr keine Chaos-Übung laufen. Verbinden Sie sich neu, um Übungen zu ermöglichen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The failure rate must be above 0 % and at most 100 %.</source>
        <translation>Die Fehlerrate muss über 0 % und höchstens 100 % sein.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Chaos drill off</source>
        <translation>Chaos-Übung aus</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Stop &amp;chaos drill</source>
        <translation>&amp;Chaos-Übung stoppen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Only the developer role may run a chaos drill (you are %1).</source>
        <translation>Nur die Rolle Entwickler darf eine Chaos-Übung ausführen (Sie sind %1).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect to an event store to run a chaos drill.</source>
        <translation>Verbinden Sie sich mit einem Event-Store, um eine Chaos-Übung auszuführen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This connection was opened without fault injection: no drill possible here.</source>
        <translation>Diese Verbindung wurde ohne Fehlerinjektion geöffnet: hier ist keine Übung möglich.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Makes a share of the domain&apos;s event-store calls fail on purpose, to watch retries, the circuit breaker and the health checks react. Commands fail while it runs: never on a store in real use.</source>
        <translation>Lässt einen Teil der Event-Store-Aufrufe der Domäne absichtlich fehlschlagen, um zu beobachten, wie Wiederholungen, der Circuit Breaker und die Zustandsprüfungen reagieren. Während sie läuft, schlagen Befehle fehl: nie auf einem Speicher im echten Einsatz.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Drill running: commands fail on purpose.</source>
        <translation>Übung läuft: Befehle schlagen absichtlich fehl.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> — commands and reads fail on purpose; the breaker may open. Stop the drill on the Resilience tab to end it.</source>
        <translation> — Befehle und Lesezugriffe schlagen absichtlich fehl; der Breaker kann öffnen. Beenden Sie die Übung auf dem Reiter „Resilienz“.</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>other types</source>
        <translation>andere Typen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No events counted in these days. The statistics read model may still be catching up: it is reloaded every 30 seconds.</source>
        <translation>In diesen Tagen wurden keine Ereignisse gezählt. Das Statistik-Lesemodell holt eventuell noch auf: es wird alle 30 Sekunden neu geladen.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n event(s) in these days.</source>
        <translation>
            <numerusform>%n Ereignis in diesen Tagen.</numerusform>
            <numerusform>%n Ereignisse in diesen Tagen.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read model as of $all position %1.</source>
        <translation>Lesemodell mit Stand $all-Position %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many rows: choose fewer days to see them all.</source>
        <translation>Zu viele Zeilen: wählen Sie weniger Tage, um alle zu sehen.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Day (UTC)</source>
        <translation>Tag (UTC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No event store is open. Connect to a store to check its health.</source>
        <translation>Kein Event-Store ist geöffnet. Verbinden Sie sich mit einem Speicher, um seinen Zustand zu prüfen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Monitoring is not set up for this connection, so health cannot be checked.</source>
        <translation>Für diese Verbindung ist kein Monitoring eingerichtet, daher kann der Zustand nicht geprüft werden.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not checked yet.</source>
        <translation>Noch nicht geprüft.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Overall: %1 — checked at %2</source>
        <translation>Gesamt: %1 — geprüft um %2</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 (%2 ms)</source>
        <translation>%1 (%2 ms)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>No metrics: monitoring is not set up.</source>
        <translation>Keine Metriken: Monitoring ist nicht eingerichtet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live charts: 10 updates per second</source>
        <translation>Live-Diagramme: 10 Aktualisierungen pro Sekunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live charts paused on this tab</source>
        <translation>Live-Diagramme auf diesem Reiter pausiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live charts paused while hidden</source>
        <translation>Live-Diagramme pausiert, solange verborgen</translation>
    </message>
</context>
<context>
    <name>EventScope::CircuitBreaker</name>
    <message>
        <location filename="../core/resilience/circuitbreaker.cpp" line="+35"/>
        <source>sleep window of %1 ms passed; letting trial calls through</source>
        <translation>Ruhefenster von %1 ms ist abgelaufen; Probeaufrufe werden durchgelassen</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>%1 of the last %2 calls failed (threshold %3%)</source>
        <translation>%1 der letzten %2 Aufrufe sind fehlgeschlagen (Schwellwert %3%)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a trial call failed while half-open</source>
        <translation>ein Probeaufruf ist im halb offenen Zustand fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 trial calls succeeded</source>
        <translation>%1 Probeaufrufe waren erfolgreich</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>reset by an operator</source>
        <translation>von einem Operator zurückgesetzt</translation>
    </message>
</context>
<context>
    <name>EventScope::CommandConsole</name>
    <message>
        <location filename="../ui/commandconsole.cpp" line="+43"/>
        <source>1 event</source>
        <translation>1 Ereignis</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 events</source>
        <translation>%1 Ereignisse</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Could not compute the state of %1: %2</source>
        <translation>Der Zustand von %1 konnte nicht berechnet werden: %2</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Search commands…</source>
        <translation>Befehle suchen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter the commands by name or help text</source>
        <translation>Die Befehle nach Name oder Hilfetext filtern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The commands registered in the engine, by domain</source>
        <translation>Die in der Engine registrierten Befehle, nach Domäne</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+354"/>
        <source>Pick a command on the left.</source>
        <translation>Wählen Sie links einen Befehl.</translation>
    </message>
    <message>
        <location line="-336"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Aggregate id or stream id, e.g. acc1 or account-acc1</source>
        <translation>Aggregat-ID oder Stream-ID, z. B. acc1 oder account-acc1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The aggregate the command changes; the explorer&apos;s selection fills it in</source>
        <translation>Das Aggregat, das der Befehl ändert; die Auswahl im Explorer füllt es aus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Load the target&apos;s current state and version</source>
        <translation>Aktuellen Zustand und Version des Ziels laden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The target&apos;s current state (as its aggregate sees it)</source>
        <translation>Der aktuelle Zustand des Ziels (wie sein Aggregat ihn sieht)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Fields</source>
        <translation>Felder</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Why the data must change; stored in the events&apos; metadata</source>
        <translation>Warum die Daten geändert werden müssen; wird in den Metadaten der Ereignisse gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason:</source>
        <translation>Grund:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>optional, e.g. INC-1234</source>
        <translation>optional, z. B. INC-1234</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A ticket or incident reference; stored in the events&apos; metadata</source>
        <translation>Ein Ticket- oder Vorfallverweis; wird in den Metadaten der Ereignisse gespeichert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Ticket:</source>
        <translation>&amp;Ticket:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Dry run</source>
        <translation>&amp;Probelauf</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Check the command against the target&apos;s current state and show what it would write (Ctrl+Enter); writes nothing</source>
        <translation>Den Befehl gegen den aktuellen Zustand des Ziels prüfen und zeigen, was er schreiben würde (Strg+Eingabe); schreibt nichts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Commit</source>
        <translation>&amp;Festschreiben</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+422"/>
        <source>Write the events of the dry run, at the version the dry run saw</source>
        <translation>Die Ereignisse des Probelaufs schreiben, bei der Version, die der Probelauf gesehen hat</translation>
    </message>
    <message>
        <location line="-405"/>
        <source>Show the event in the explorer</source>
        <translation>Das Ereignis im Explorer zeigen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Written since you looked:</source>
        <translation>Geschrieben, seit Sie nachgesehen haben:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Events another writer appended after the version your dry run saw</source>
        <translation>Ereignisse, die ein anderer Schreiber nach der Version angehängt hat, die Ihr Probelauf gesehen hat</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Events that would be written:</source>
        <translation>Ereignisse, die geschrieben würden:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The events the command writes; hover for the payload and metadata in full</source>
        <translation>Die Ereignisse, die der Befehl schreibt; mit der Maus darüber für Nutzdaten und Metadaten vollständig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State before → after:</source>
        <translation>Zustand vorher → nachher:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the command changes in the target&apos;s state</source>
        <translation>Was der Befehl am Zustand des Ziels ändert</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (corrective)</source>
        <translation> (Korrektur)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Only developers may run %1; you are signed in as %2.</source>
        <translation>Nur Entwickler dürfen %1 ausführen; Sie sind als %2 angemeldet.</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>&amp;Reason *:</source>
        <translation>&amp;Grund *:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>required: why must the data change?</source>
        <translation>erforderlich: warum müssen die Daten geändert werden?</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>optional: why you run this command</source>
        <translation>optional: warum Sie diesen Befehl ausführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This command has no fields.</source>
        <translation>Dieser Befehl hat keine Felder.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Required</source>
        <translation>Erforderlich</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Optional</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 from %2 to %3</source>
        <translation>%1 von %2 bis %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of at least %2</source>
        <translation>%1 von mindestens %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of at most %2</source>
        <translation>%1 von höchstens %2</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>(choose)</source>
        <translation>(auswählen)</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+335"/>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <location line="-330"/>
        <source>One of: %1</source>
        <translation>Eines von: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>whole number</source>
        <translation>ganze Zahl</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a whole number</source>
        <translation>eine ganze Zahl</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>amount, like 12.34</source>
        <translation>Betrag, etwa 12.34</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>At least %1</source>
        <translation>Mindestens %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At most %1</source>
        <translation>Höchstens %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>UUID, like 123e4567-e89b-12d3-a456-426614174000</source>
        <translation>UUID, etwa 123e4567-e89b-12d3-a456-426614174000</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>text length</source>
        <translation>Textlänge</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No store is open: connect to a store to run commands.</source>
        <translation>Kein Speicher ist geöffnet: verbinden Sie sich mit einem Speicher, um Befehle auszuführen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You are signed in as an auditor: auditors have read-only access, so the command console is disabled. Connect as support or developer to run commands.</source>
        <translation>Sie sind als Prüfer angemeldet: Prüfer haben nur Lesezugriff, daher ist die Befehlskonsole deaktiviert. Verbinden Sie sich als Support oder Entwickler, um Befehle auszuführen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Commands need an actor: reconnect with your user name to run commands.</source>
        <translation>Befehle brauchen einen Akteur: verbinden Sie sich mit Ihrem Benutzernamen neu, um Befehle auszuführen.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Only developers may run %1; you are signed in as %2. Ask a developer, or use a corrective command if one fits.</source>
        <translation>Nur Entwickler dürfen %1 ausführen; Sie sind als %2 angemeldet. Fragen Sie einen Entwickler oder verwenden Sie einen passenden Korrekturbefehl.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Dry-run these inputs first: Commit writes what the last dry run showed.</source>
        <translation>Machen Sie zuerst einen Probelauf mit diesen Eingaben: „Festschreiben“ schreibt, was der letzte Probelauf gezeigt hat.</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Give the id of the aggregate to change.</source>
        <translation>Geben Sie die ID des zu ändernden Aggregats an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 does not exist yet (no events): a command creating it starts at version 0.</source>
        <translation>%1 existiert noch nicht (keine Ereignisse): ein Befehl, der es anlegt, beginnt bei Version 0.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at version %2</source>
        <translation>%1 bei Version %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 changed since the dry run (now at version %2): dry-run again.</source>
        <translation>%1 hat sich seit dem Probelauf geändert (jetzt bei Version %2): machen Sie einen neuen Probelauf.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Give the id of the aggregate to change, then dry-run again.</source>
        <translation>Geben Sie die ID des zu ändernden Aggregats an und machen Sie dann einen neuen Probelauf.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is a %2 stream, but %3 changes %4 aggregates: pick a %2 command, or give the id of a %4.</source>
        <translation>%1 ist ein %2-Stream, aber %3 ändert %4-Aggregate: wählen Sie einen %2-Befehl oder geben Sie die ID eines %4 an.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Some values need correcting (%1): see the messages under the fields.</source>
        <translation>Einige Werte müssen korrigiert werden (%1): siehe die Meldungen unter den Feldern.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Confirm %1</source>
        <translation>%1 bestätigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 changes %2 for good: the events are appended and cannot be taken back (only corrected by further events).</source>
        <translation>%1 ändert %2 endgültig: die Ereignisse werden angehängt und können nicht zurückgenommen werden (nur durch weitere Ereignisse korrigiert).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Write %1</source>
        <translation>%1 schreiben</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nothing was written: the commit was cancelled.</source>
        <translation>Es wurde nichts geschrieben: das Festschreiben wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>• writes %1</source>
        <translation>• schreibt %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>• %1: %2 entries → %3 entries</source>
        <translation>• %1: %2 Einträge → %3 Einträge</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+6"/>
        <source>• %1: %2 → %3</source>
        <translation>• %1: %2 → %3</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+13"/>
        <source>• %1: set to %2</source>
        <translation>• %1: auf %2 gesetzt</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+14"/>
        <source>• %1: removed (was %2)</source>
        <translation>• %1: entfernt (war %2)</translation>
    </message>
    <message numerus="yes">
        <location line="-9"/>
        <source>• %1: %n more entries change</source>
        <translation>
            <numerusform>• %1: %n weiterer Eintrag ändert sich</numerusform>
            <numerusform>• %1: %n weitere Einträge ändern sich</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>At version %1 of %2; reason: %3</source>
        <translation>Bei Version %1 von %2; Grund: %3</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Dry run of %1 on %2…</source>
        <translation>Probelauf von %1 auf %2…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Writing %1 on %2 at version %3…</source>
        <translation>%1 wird auf %2 bei Version %3 geschrieben…</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Could not compute the state after the command: %1</source>
        <translation>Der Zustand nach dem Befehl konnte nicht berechnet werden: %1</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The dry run finished for inputs you have changed since; dry-run again.</source>
        <translation>Der Probelauf wurde für Eingaben abgeschlossen, die Sie inzwischen geändert haben; machen Sie einen neuen Probelauf.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The command you committed finished after you changed the inputs: %1</source>
        <translation>Der festgeschriebene Befehl wurde abgeschlossen, nachdem Sie die Eingaben geändert hatten: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it was written.</source>
        <translation>er wurde geschrieben.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The dry run was refused (%1): %2</source>
        <translation>Der Probelauf wurde abgelehnt (%1): %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The command would change nothing on %1 (version %2). Commit would write no event.</source>
        <translation>Der Befehl würde nichts an %1 ändern (Version %2). Festschreiben würde kein Ereignis schreiben.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Dry run: %1 would be written to %2 at version %3. Nothing was written yet; check them and the changes below, then Commit.</source>
        <translation>Probelauf: %1 würde bei Version %3 nach %2 geschrieben. Noch wurde nichts geschrieben; prüfen Sie die Ereignisse und die Änderungen unten, dann „Festschreiben“.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Done: %1 written to %2, now at version %3.</source>
        <translation>Fertig: %1 nach %2 geschrieben, jetzt bei Version %3.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show in the explorer: %1</source>
        <translation>Im Explorer zeigen: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The events were written, but could not be listed: %1</source>
        <translation>Die Ereignisse wurden geschrieben, konnten aber nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Nothing was written: %1 changed since your dry run at version %2 (now at version %3; the new events are listed below). Check them and dry-run again.</source>
        <translation>Es wurde nichts geschrieben: %1 hat sich seit Ihrem Probelauf bei Version %2 geändert (jetzt bei Version %3; die neuen Ereignisse stehen unten). Prüfen Sie sie und machen Sie einen neuen Probelauf.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Some values need correcting</source>
        <translation>Einige Werte müssen korrigiert werden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not allowed</source>
        <translation>Nicht erlaubt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refused by the domain&apos;s rules</source>
        <translation>Von den Regeln der Domäne abgelehnt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The event store is unavailable</source>
        <translation>Der Event-Store ist nicht verfügbar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unknown command</source>
        <translation>Unbekannter Befehl</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The command&apos;s handler failed (a bug: report it)</source>
        <translation>Der Handler des Befehls ist fehlgeschlagen (ein Fehler: bitte melden)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: %2. Whether the events were written is not known: the target is being read again; if they are not there, dry-run and commit again.</source>
        <translation>%1: %2. Ob die Ereignisse geschrieben wurden, ist nicht bekannt: das Ziel wird neu gelesen; fehlen sie dort, machen Sie einen neuen Probelauf und schreiben Sie erneut fest.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nothing was written. %1: %2</source>
        <translation>Es wurde nichts geschrieben. %1: %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 (schema %2)
Payload:
%3
Metadata:
%4</source>
        <translation>%1 (Schema %2)
Nutzdaten:
%3
Metadaten:
%4</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>added</source>
        <translation>hinzugefügt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>removed</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Position %1, recorded %2</source>
        <translation>Position %1, aufgezeichnet %2</translation>
    </message>
</context>
<context>
    <name>EventScope::ConfigLoader</name>
    <message>
        <location filename="../core/config/configloader.cpp" line="+408"/>
        <source>a key in %1 is not plain text and is ignored.</source>
        <translation>ein Schlüssel in %1 ist kein einfacher Text und wird ignoriert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the top level</source>
        <translation>die oberste Ebene</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>unknown key %1 is ignored.</source>
        <translation>unbekannter Schlüssel %1 wird ignoriert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unknown key %1 is ignored; did you mean %2?</source>
        <translation>unbekannter Schlüssel %1 wird ignoriert; meinten Sie %2?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is set twice (also on line %2); keep one of them.</source>
        <translation>%1 ist doppelt gesetzt (auch in Zeile %2); behalten Sie einen davon.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>a mapping of keys (indented lines below %1:)</source>
        <translation>eine Zuordnung von Schlüsseln (eingerückte Zeilen unter %1:)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>a mapping</source>
        <translation>eine Zuordnung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a list</source>
        <translation>eine Liste</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>empty</source>
        <translation>leer</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 is %2; expected %3.</source>
        <translation>%1 ist %2; erwartet: %3.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 has no value; expected %2 (or remove the key to use the default).</source>
        <translation>%1 hat keinen Wert; erwartet: %2 (oder entfernen Sie den Schlüssel, um den Standardwert zu verwenden).</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>a whole number from %1 to %2</source>
        <translation>eine ganze Zahl von %1 bis %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a whole number of at least %1</source>
        <translation>eine ganze Zahl von mindestens %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a whole number</source>
        <translation>eine ganze Zahl</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>a number of at least %1</source>
        <translation>eine Zahl von mindestens %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a number from %1 to %2</source>
        <translation>eine Zahl von %1 bis %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>true or false</source>
        <translation>true oder false</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>a duration such as 30s or 100ms</source>
        <translation>eine Dauer wie 30s oder 100ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a duration such as 30s or 100ms, of at least %1</source>
        <translation>eine Dauer wie 30s oder 100ms, von mindestens %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (a number needs a unit: ns, us, ms, s, m or h)</source>
        <translation> (eine Zahl braucht eine Einheit: ns, us, ms, s, m oder h)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>a size above zero, such as 1048576, 512KiB or 1MiB</source>
        <translation>eine Größe über null, z. B. 1048576, 512KiB oder 1MiB</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>non-empty text</source>
        <translation>nicht leerer Text</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>sqlite or postgres</source>
        <translation>sqlite oder postgres</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>a PostgreSQL URL such as postgres://user:pass@localhost/events or a string such as &quot;host=localhost dbname=events&quot;</source>
        <translation>eine PostgreSQL-URL wie postgres://user:pass@localhost/events oder eine Zeichenkette wie &quot;host=localhost dbname=events&quot;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a SQLite database file path, or :memory:</source>
        <translation>ein Pfad zu einer SQLite-Datenbankdatei oder :memory:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>eventstore.connection is missing; with type postgres it is required, for example connection: &quot;postgres://user:pass@localhost/events&quot;.</source>
        <translation>eventstore.connection fehlt; mit type postgres ist es erforderlich, zum Beispiel connection: &quot;postgres://user:pass@localhost/events&quot;.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>full or normal</source>
        <translation>full oder normal</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a PostgreSQL schema name (letters, digits and _, not starting with a digit, at most 63 characters)</source>
        <translation>ein PostgreSQL-Schemaname (Buchstaben, Ziffern und _, nicht mit einer Ziffer beginnend, höchstens 63 Zeichen)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>auditor, support or developer</source>
        <translation>auditor, support oder developer</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>resilience.retry.max_delay (%1) is shorter than resilience.retry.initial_delay (%2); raise max_delay or lower initial_delay.</source>
        <translation>resilience.retry.max_delay (%1) ist kürzer als resilience.retry.initial_delay (%2); erhöhen Sie max_delay oder verringern Sie initial_delay.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>inmemory or prometheus</source>
        <translation>inmemory oder prometheus</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>an address such as :9090 or 127.0.0.1:9090</source>
        <translation>eine Adresse wie :9090 oder 127.0.0.1:9090</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>an HTTP path starting with /, such as /metrics</source>
        <translation>ein HTTP-Pfad, der mit / beginnt, z. B. /metrics</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>monitoring.health.timeout (%1) is longer than monitoring.health.check_interval (%2), so checks can overlap; lower the timeout or raise the interval.</source>
        <translation>monitoring.health.timeout (%1) ist länger als monitoring.health.check_interval (%2), daher können sich Prüfungen überschneiden; verringern Sie das Timeout oder erhöhen Sie das Intervall.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>a list of command outcomes from %1</source>
        <translation>eine Liste von Befehlsergebnissen aus %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 lists %2, which is not a command outcome; expected one of %3.</source>
        <translation>%1 enthält %2, das kein Befehlsergebnis ist; erwartet wird eines von %3.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 (%2) is shorter than alerts.evaluation_interval (%3); make the window at least as long as the interval.</source>
        <translation>%1 (%2) ist kürzer als alerts.evaluation_interval (%3); machen Sie das Fenster mindestens so lang wie das Intervall.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>one of trace, debug, info, warn, error, critical, off</source>
        <translation>eines von trace, debug, info, warn, error, critical, off</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the file is not valid YAML: %1. Check the indentation and quoting on this line and the one before.</source>
        <translation>die Datei ist kein gültiges YAML: %1. Prüfen Sie Einrückung und Anführungszeichen in dieser und der vorigen Zeile.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the configuration is %1; expected a mapping of sections such as eventstore:, snapshots:, projections:, resilience:, monitoring: and logging:.</source>
        <translation>die Konfiguration ist %1; erwartet wird eine Zuordnung von Abschnitten wie eventstore:, snapshots:, projections:, resilience:, monitoring: und logging:.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>cannot read the configuration: %1.</source>
        <translation>die Konfiguration kann nicht gelesen werden: %1.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Configuration file %1 does not exist. Check the path, or start from config.example.yaml.</source>
        <translation>Die Konfigurationsdatei %1 existiert nicht. Prüfen Sie den Pfad oder beginnen Sie mit config.example.yaml.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is a directory, not a configuration file. Pass the path of a .yaml file.</source>
        <translation>%1 ist ein Verzeichnis, keine Konfigurationsdatei. Geben Sie den Pfad einer .yaml-Datei an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot read configuration file %1: %2. Check its permissions.</source>
        <translation>Die Konfigurationsdatei %1 kann nicht gelesen werden: %2. Prüfen Sie ihre Berechtigungen.</translation>
    </message>
</context>
<context>
    <name>EventScope::ConnectionDialog</name>
    <message>
        <location filename="../ui/connectiondialog.cpp" line="+63"/>
        <source>Connect to an Event Store</source>
        <translation>Mit einem Event-Store verbinden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Recent connections</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stores opened lately: click to fill in the form, double-click to open. Delete forgets the selected one. Passwords are never remembered.</source>
        <translation>Zuletzt geöffnete Speicher: Klick füllt das Formular aus, Doppelklick öffnet. Entf vergisst den ausgewählten. Passwörter werden nie gespeichert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Forget</source>
        <translation>Vergessen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Forget</source>
        <translation>&amp;Vergessen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove the selected connection from the recent list (Delete).</source>
        <translation>Die ausgewählte Verbindung aus der Liste der letzten Verbindungen entfernen (Entf).</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;SQLite file</source>
        <translation>&amp;SQLite-Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;PostgreSQL</source>
        <translation>&amp;PostgreSQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A store in one file on this computer.</source>
        <translation>Ein Speicher in einer Datei auf diesem Computer.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A store in a PostgreSQL database, shared by several people.</source>
        <translation>Ein Speicher in einer PostgreSQL-Datenbank, gemeinsam von mehreren Personen genutzt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Auditor — reads only</source>
        <translation>Prüfer — nur lesen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Support — corrective commands</source>
        <translation>Support — Korrekturbefehle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Developer — every command</source>
        <translation>Entwickler — alle Befehle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What this session may do. Auditors open stores read-only and issue no command.</source>
        <translation>Was diese Sitzung darf. Prüfer öffnen Speicher schreibgeschützt und geben keine Befehle.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open read-&amp;only</source>
        <translation>Schreibgeschützt ö&amp;ffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+283"/>
        <source>Nothing is created, upgraded or appended: the store stays exactly as it is.</source>
        <translation>Nichts wird angelegt, aktualisiert oder angehängt: der Speicher bleibt genau so, wie er ist.</translation>
    </message>
    <message>
        <location line="-275"/>
        <source>R&amp;ole:</source>
        <translation>R&amp;olle:</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Test Connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the store read-only and report what is there, without changing anything.</source>
        <translation>Den Speicher schreibgeschützt öffnen und berichten, was vorhanden ist, ohne etwas zu ändern.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Path of a store file, e.g. events.db</source>
        <translation>Pfad einer Speicherdatei, z. B. events.db</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The SQLite file holding the store. A file that does not exist yet is created as a new, empty store when you open it (unless read-only).</source>
        <translation>Die SQLite-Datei mit dem Speicher. Eine noch nicht vorhandene Datei wird beim Öffnen als neuer, leerer Speicher angelegt (außer schreibgeschützt).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose an existing store file.</source>
        <translation>Eine vorhandene Speicherdatei auswählen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New…</source>
        <translation>&amp;Neu…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose where to create a new, empty store; it is created when you open it.</source>
        <translation>Wählen, wo ein neuer, leerer Speicher angelegt wird; er wird beim Öffnen angelegt.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>F&amp;ile:</source>
        <translation>Dat&amp;ei:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Several EventScope windows and programs may use one file at a time; it should be on a local disk, not a network share.</source>
        <translation>Mehrere EventScope-Fenster und Programme können eine Datei gleichzeitig nutzen; sie sollte auf einer lokalen Festplatte liegen, nicht auf einer Netzwerkfreigabe.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Host name or address of the PostgreSQL server, or the folder of its Unix socket.</source>
        <translation>Hostname oder Adresse des PostgreSQL-Servers oder der Ordner seines Unix-Sockets.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>TCP port of the server; PostgreSQL listens on 5432 unless configured otherwise.</source>
        <translation>TCP-Port des Servers; PostgreSQL lauscht auf 5432, sofern nicht anders konfiguriert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Po&amp;rt:</source>
        <translation>Po&amp;rt:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>e.g. events</source>
        <translation>z. B. events</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name of the database that holds (or will hold) the store.</source>
        <translation>Name der Datenbank, die den Speicher enthält (oder enthalten wird).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Database:</source>
        <translation>&amp;Datenbank:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>your login name</source>
        <translation>Ihr Anmeldename</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PostgreSQL user (role) to connect as.</source>
        <translation>PostgreSQL-Benutzer (Rolle), mit dem verbunden wird.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Used for this session only: EventScope never writes it down. Leave it empty when the server needs none or ~/.pgpass holds it.</source>
        <translation>Nur für diese Sitzung verwendet: EventScope speichert es nie. Lassen Sie es leer, wenn der Server keines braucht oder ~/.pgpass es enthält.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password is not remembered; you are asked again next time.</source>
        <translation>Das Passwort wird nicht gespeichert; Sie werden beim nächsten Mal erneut gefragt.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>prefer: SSL when the server offers it. require: SSL or nothing. verify-ca / verify-full: also check the server&apos;s certificate (and host name).</source>
        <translation>prefer: SSL, wenn der Server es anbietet. require: SSL oder gar nicht. verify-ca / verify-full: zusätzlich das Zertifikat (und den Hostnamen) des Servers prüfen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SS&amp;L mode:</source>
        <translation>SS&amp;L-Modus:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PostgreSQL schema holding the store&apos;s tables; created when missing (unless read-only).</source>
        <translation>PostgreSQL-Schema mit den Tabellen des Speichers; wird angelegt, wenn es fehlt (außer schreibgeschützt).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;chema:</source>
        <translation>S&amp;chema:</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Connection settings not valid</source>
        <translation>Verbindungseinstellungen ungültig</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Fixed by the configuration.</source>
        <translation>Durch die Konfiguration festgelegt.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Auditors always open stores read-only.</source>
        <translation>Prüfer öffnen Speicher immer schreibgeschützt.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Enter the server&apos;s host name (localhost for this computer).</source>
        <translation>Geben Sie den Hostnamen des Servers ein (localhost für diesen Computer).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the name of the database.</source>
        <translation>Geben Sie den Namen der Datenbank ein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose a store file with Browse…, or New… for a new store.</source>
        <translation>Wählen Sie eine Speicherdatei mit „Durchsuchen…“ oder „Neu…“ für einen neuen Speicher.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Testing the connection to %1…</source>
        <translation>Verbindung zu %1 wird getestet…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>✓ &lt;b&gt;EventScope store&lt;/b&gt;, schema v%1, %2 events</source>
        <translation>✓ &lt;b&gt;EventScope-Speicher&lt;/b&gt;, Schema v%1, %2 Ereignisse</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No store at this path yet: &lt;b&gt;Open&lt;/b&gt; creates a new, empty store there.</source>
        <translation>Unter diesem Pfad gibt es noch keinen Speicher: &lt;b&gt;Öffnen&lt;/b&gt; legt dort einen neuen, leeren Speicher an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected. The schema &apos;%1&apos; holds no store yet: &lt;b&gt;Open&lt;/b&gt; creates one.</source>
        <translation>Verbunden. Das Schema &apos;%1&apos; enthält noch keinen Speicher: &lt;b&gt;Öffnen&lt;/b&gt; legt einen an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file holds no store yet: &lt;b&gt;Open&lt;/b&gt; creates one.</source>
        <translation>Die Datei enthält noch keinen Speicher: &lt;b&gt;Öffnen&lt;/b&gt; legt einen an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>EventScope store of an older version: &lt;b&gt;Open&lt;/b&gt; upgrades it to schema v%1. Older EventScope versions cannot open it afterwards.</source>
        <translation>EventScope-Speicher einer älteren Version: &lt;b&gt;Öffnen&lt;/b&gt; aktualisiert ihn auf Schema v%1. Ältere EventScope-Versionen können ihn danach nicht mehr öffnen.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Open an Event Store</source>
        <translation>Einen Event-Store öffnen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>EventScope stores (%1);;All files (*)</source>
        <translation>EventScope-Speicher (%1);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>New Event Store</source>
        <translation>Neuer Event-Store</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>EventScope stores (%1)</source>
        <translation>EventScope-Speicher (%1)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A new, empty store is created at %1 when you open it.</source>
        <translation>Beim Öffnen wird unter %1 ein neuer, leerer Speicher angelegt.</translation>
    </message>
</context>
<context>
    <name>EventScope::CorrelationPane</name>
    <message>
        <location filename="../ui/correlationpane.cpp" line="+28"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write every event of this correlation to a JSON Lines or CSV file</source>
        <translation>Alle Ereignisse dieser Korrelation in eine JSON-Lines- oder CSV-Datei schreiben</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Each event sits under the event that caused it; double-click or Enter to go to it</source>
        <translation>Jedes Ereignis steht unter dem Ereignis, das es ausgelöst hat; Doppelklick oder Eingabe springt dorthin</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Choose a correlation id in the inspector to see its events here.</source>
        <translation>Wählen Sie im Inspektor eine Korrelations-ID, um hier ihre Ereignisse zu sehen.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No store is open: connect to a store, then choose the correlation again.</source>
        <translation>Kein Speicher ist geöffnet: verbinden Sie sich mit einem Speicher und wählen Sie die Korrelation dann erneut.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loading correlation %1…</source>
        <translation>Korrelation %1 wird geladen…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Correlation %1</source>
        <translation>Korrelation %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not read correlation %1: %2</source>
        <translation>Korrelation %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Correlation %1: 1 event</source>
        <translation>Korrelation %1: 1 Ereignis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correlation %1: %2 events</source>
        <translation>Korrelation %1: %2 Ereignisse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 1 stream</source>
        <translation>in 1 Stream</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>in %1 streams</source>
        <translation>in %1 Streams</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(the first %1 only)</source>
        <translation>(nur die ersten %1)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No event carries correlation id %1. Check the id, or whether the events were written without correlation metadata.</source>
        <translation>Kein Ereignis trägt die Korrelations-ID %1. Prüfen Sie die ID oder ob die Ereignisse ohne Korrelationsmetadaten geschrieben wurden.</translation>
    </message>
</context>
<context>
    <name>EventScope::CorrelationTreeModel</name>
    <message>
        <location filename="../ui/models/correlationtreemodel.cpp" line="+151"/>
        <source>%1 local time</source>
        <translation>%1 Ortszeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 v%2 at %3@%4, event %5</source>
        <translation>%1 v%2 um %3@%4, Ereignis %5</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
</context>
<context>
    <name>EventScope::EventBus</name>
    <message>
        <location filename="../core/cqrs/eventbus.cpp" line="+78"/>
        <source>The handler threw an unknown exception.</source>
        <translation>Der Handler hat eine unbekannte Ausnahme ausgelöst.</translation>
    </message>
</context>
<context>
    <name>EventScope::EventFilterBar</name>
    <message>
        <location filename="../ui/eventfilterbar.cpp" line="+59"/>
        <source>Showing one stream. Click to show the events of every stream.</source>
        <translation>Es wird ein Stream gezeigt. Klicken Sie, um die Ereignisse aller Streams zu zeigen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Show only events of the checked types</source>
        <translation>Nur Ereignisse der markierten Typen zeigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stream category: the part of a stream id before its first &apos;-&apos;, e.g. account</source>
        <translation>Stream-Kategorie: der Teil einer Stream-ID vor dem ersten &apos;-&apos;, z. B. account</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Events whose metadata actor is exactly this</source>
        <translation>Ereignisse, deren Akteur in den Metadaten genau dieser ist</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Correlation id</source>
        <translation>Korrelations-ID</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Events of one command or process</source>
        <translation>Ereignisse eines Befehls oder Prozesses</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Events recorded at or after this local time</source>
        <translation>Ereignisse, die zu oder nach dieser Ortszeit aufgezeichnet wurden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>until</source>
        <translation>bis</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Events recorded before this local time</source>
        <translation>Ereignisse, die vor dieser Ortszeit aufgezeichnet wurden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Payload path, e.g. email</source>
        <translation>Nutzdatenpfad, z. B. email</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A dotted path of keys into the payload, e.g. email or address.city</source>
        <translation>Ein Pfad aus durch Punkte getrennten Schlüsseln in die Nutzdaten, z. B. email oder address.city</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>equals</source>
        <translation>gleich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contains</source>
        <translation>enthält</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compared with the value&apos;s text; contains ignores case. Content searches stop after 10 seconds.</source>
        <translation>Verglichen wird mit dem Text des Werts; „enthält“ ignoriert Groß-/Kleinschreibung. Inhaltssuchen enden nach 10 Sekunden.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop the search that is running (Esc)</source>
        <translation>Die laufende Suche stoppen (Esc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run a saved search</source>
        <translation>Eine gespeicherte Suche ausführen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save these filters under a name</source>
        <translation>Diese Filter unter einem Namen speichern</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the chosen saved search</source>
        <translation>Die gewählte gespeicherte Suche löschen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Saved:</source>
        <translation>Gespeichert:</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>All streams</source>
        <translation>Alle Streams</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stream %1  ✕</source>
        <translation>Stream %1  ✕</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+31"/>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <location line="+25"/>
        <source>%n types</source>
        <translation>
            <numerusform>%n Typ</numerusform>
            <numerusform>%n Typen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>The saved search &apos;%1&apos; is damaged; delete it and save it again.</source>
        <translation>Die gespeicherte Suche &apos;%1&apos; ist beschädigt; löschen Sie sie und speichern Sie sie erneut.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Save search</source>
        <translation>Suche speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name for these filters (%1):</source>
        <translation>Name für diese Filter (%1):</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>(none saved)</source>
        <translation>(keine gespeichert)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
</context>
<context>
    <name>EventScope::EventInspector</name>
    <message>
        <location filename="../ui/eventinspector.cpp" line="+133"/>
        <source>Select an event to inspect it</source>
        <translation>Wählen Sie ein Ereignis, um es zu untersuchen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Show every event of this correlation, as a tree of causes</source>
        <translation>Alle Ereignisse dieser Korrelation als Baum der Ursachen zeigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Go to the event that caused this one</source>
        <translation>Zum Ereignis gehen, das dieses ausgelöst hat</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>payload</source>
        <translation>Nutzdaten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The payload as it is stored</source>
        <translation>Die Nutzdaten, wie sie gespeichert sind</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The payload as the application reads it, brought to the current schema version by the upcasters</source>
        <translation>Die Nutzdaten, wie die Anwendung sie liest, von den Upcastern auf die aktuelle Schemaversion gebracht</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The %1 as a tree; select a value to copy it</source>
        <translation>Die %1 als Baum; wählen Sie einen Wert, um ihn zu kopieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The %1 as JSON, keys in the order they are stored</source>
        <translation>Die %1 als JSON, Schlüssel in gespeicherter Reihenfolge</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy JSON</source>
        <translation>JSON kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy the whole %1 as indented JSON to the clipboard</source>
        <translation>Die gesamten %1 als eingerücktes JSON in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+23"/>
        <source>Copy value</source>
        <translation>Wert kopieren</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Copy the selected value to the clipboard (text as it is, anything else as JSON)</source>
        <translation>Den ausgewählten Wert in die Zwischenablage kopieren (Text unverändert, alles andere als JSON)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>stored v%1, read as v%2</source>
        <translation>gespeichert v%1, gelesen als v%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;%3@%4 &amp;middot; position %5&lt;br&gt;%6 UTC &amp;middot; %7 (local)&lt;br&gt;event %8</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; %2&lt;br&gt;%3@%4 &amp;middot; Position %5&lt;br&gt;%6 UTC &amp;middot; %7 (lokal)&lt;br&gt;Ereignis %8</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Correlation %1</source>
        <translation>Korrelation %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show every event of correlation %1, as a tree of causes</source>
        <translation>Alle Ereignisse der Korrelation %1 als Baum der Ursachen zeigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Caused by %1</source>
        <translation>Ausgelöst durch %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Go to the event that caused this one (%1)</source>
        <translation>Zum Ereignis gehen, das dieses ausgelöst hat (%1)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Stored v%1 / Upcasted v%2</source>
        <translation>Gespeichert v%1 / Upcast v%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stored v%1</source>
        <translation>Gespeichert v%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Upcasted v%1</source>
        <translation>Upcast v%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Upcasting to v%1 failed</source>
        <translation>Upcast auf v%1 fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>EventScope::EventTableModel</name>
    <message>
        <location filename="../ui/models/eventtablemodel.cpp" line="+594"/>
        <source>%1 · v%2</source>
        <translation>%1 · v%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 local time</source>
        <translation>%1 Ortszeit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1, schema version %2</source>
        <translation>%1, Schemaversion %2</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recorded (UTC)</source>
        <translation>Aufgezeichnet (UTC)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Correlation id</source>
        <translation>Korrelations-ID</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
</context>
<context>
    <name>EventScope::ExportDialog</name>
    <message>
        <location filename="../ui/exportdialog.cpp" line="+28"/>
        <location line="+57"/>
        <source>Export events</source>
        <translation>Ereignisse exportieren</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Events: %1</source>
        <translation>Ereignisse: %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop the export; the file is left as it was</source>
        <translation>Den Export stoppen; die Datei bleibt unverändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>To %1 (%2)</source>
        <translation>Nach %1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON Lines</source>
        <translation>JSON Lines</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>No store is open: connect to a store, then export again.</source>
        <translation>Kein Speicher ist geöffnet: verbinden Sie sich mit einem Speicher und exportieren Sie dann erneut.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Exported 1 event to %1.</source>
        <translation>1 Ereignis nach %1 exportiert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported %1 events to %2.</source>
        <translation>%1 Ereignisse nach %2 exportiert.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 events written…</source>
        <translation>%1 Ereignisse geschrieben…</translation>
    </message>
</context>
<context>
    <name>EventScope::HistoryStepModel</name>
    <message>
        <location filename="../ui/models/historystepmodel.cpp" line="+37"/>
        <source>v%1 · %2 · %3</source>
        <translation>v%1 · %2 · %3</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Event %1 at position %2: %n field(s) changed.</source>
        <translation>
            <numerusform>Ereignis %1 an Position %2: %n Feld geändert.</numerusform>
            <numerusform>Ereignis %1 an Position %2: %n Felder geändert.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stored with schema version %1, upcasted to %2.</source>
        <translation>Gespeichert mit Schemaversion %1, per Upcast auf %2 gebracht.</translation>
    </message>
</context>
<context>
    <name>EventScope::JsonTreeModel</name>
    <message>
        <location filename="../ui/models/jsontreemodel.cpp" line="+115"/>
        <source>{1 key}</source>
        <translation>{1 Schlüssel}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{%1 keys}</source>
        <translation>{%1 Schlüssel}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>[1 item]</source>
        <translation>[1 Element]</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>[%1 items]</source>
        <translation>[%1 Elemente]</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
</context>
<context>
    <name>EventScope::LogModel</name>
    <message>
        <location filename="../ui/models/logmodel.cpp" line="+284"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>EventScope::LogPane</name>
    <message>
        <location filename="../ui/logpane.cpp" line="+36"/>
        <source>Show messages of this level and above</source>
        <translation>Meldungen dieser Stufe und darüber zeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Debug and above</source>
        <translation>Debug und darüber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Info and above</source>
        <translation>Info und darüber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings and above</source>
        <translation>Warnungen und darüber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors and above</source>
        <translation>Fehler und darüber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical only</source>
        <translation>Nur kritische</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Level:</source>
        <translation>&amp;Stufe:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search messages and categories</source>
        <translation>Meldungen und Kategorien durchsuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show only lines whose message or category contains this text (ignoring case)</source>
        <translation>Nur Zeilen zeigen, deren Meldung oder Kategorie diesen Text enthält (ohne Groß-/Kleinschreibung)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Copy Selected Lines</source>
        <translation>Ausgewählte Zeilen &amp;kopieren</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the selected lines to the clipboard (%1)</source>
        <translation>Die ausgewählten Zeilen in die Zwischenablage kopieren (%1)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove every line from the pane (the log file keeps them)</source>
        <translation>Alle Zeilen aus dem Bereich entfernen (die Protokolldatei behält sie)</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>%1 lines</source>
        <translation>%1 Zeilen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 lines</source>
        <translation>%1 von %2 Zeilen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (%1 older dropped)</source>
        <translation> (%1 ältere verworfen)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The pane keeps the last %1 lines; the log file keeps everything.</source>
        <translation>Der Bereich behält die letzten %1 Zeilen; die Protokolldatei behält alles.</translation>
    </message>
</context>
<context>
    <name>EventScope::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="+118"/>
        <location line="+683"/>
        <source>EventScope</source>
        <translation>EventScope</translation>
    </message>
    <message>
        <location line="-588"/>
        <source>No event store is open.

Connect to an EventScope store (a SQLite file or a PostgreSQL database),
or start EventScope with --demo to explore a generated one.</source>
        <translation>Kein Event-Store ist geöffnet.

Verbinden Sie sich mit einem EventScope-Speicher (einer SQLite-Datei oder einer PostgreSQL-Datenbank)
oder starten Sie EventScope mit --demo, um einen generierten zu erkunden.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+527"/>
        <source>Connect…</source>
        <translation>Verbinden…</translation>
    </message>
    <message>
        <location line="-476"/>
        <source>Newest</source>
        <translation>Neueste</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Jump to the newest events (Ctrl+Home)</source>
        <translation>Zu den neuesten Ereignissen springen (Strg+Pos1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Oldest</source>
        <translation>Älteste</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Jump to the oldest events (Ctrl+End)</source>
        <translation>Zu den ältesten Ereignissen springen (Strg+Ende)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A global position to jump to (Ctrl+P), then Return</source>
        <translation>Eine globale Position, zu der gesprungen wird (Strg+P), dann Eingabe</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&apos;%1&apos; is no position. Type a whole number above 0.</source>
        <translation>&apos;%1&apos; ist keine Position. Geben Sie eine ganze Zahl über 0 ein.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A local time to jump to (Ctrl+T)</source>
        <translation>Eine Ortszeit, zu der gesprungen wird (Strg+T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Go</source>
        <translation>Los</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Jump to the first event at or after this time</source>
        <translation>Zum ersten Ereignis zu oder nach dieser Zeit springen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Newest first</source>
        <translation>Neueste zuerst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Oldest first</source>
        <translation>Älteste zuerst</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Go to</source>
        <translation>Gehe zu</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Filter: user-4, account-*, *-00?</source>
        <translation>Filter: user-4, account-*, *-00?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A prefix (user-4), a category (account-*) or a pattern where * is any run of characters and ? one character (Ctrl+G)</source>
        <translation>Ein Präfix (user-4), eine Kategorie (account-*) oder ein Muster, in dem * für beliebig viele Zeichen und ? für ein Zeichen steht (Strg+G)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Last activity</source>
        <translation>Letzte Aktivität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order of the streams</source>
        <translation>Reihenfolge der Streams</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the events of every stream</source>
        <translation>Die Ereignisse aller Streams zeigen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Streams</source>
        <translation>Streams</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Inspector</source>
        <translation>Inspektor</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Time travel</source>
        <translation>Zeitreise</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Snapshots</source>
        <translation>Momentaufnahmen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Correlation</source>
        <translation>Korrelation</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Command console</source>
        <translation>Befehlskonsole</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Projections</source>
        <translation>Projektionen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C&amp;lose store</source>
        <translation>Speicher &amp;schließen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Export events…</source>
        <translation>Ereignisse &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the events the table shows (all of them, not just the loaded rows) to JSON Lines or CSV (Ctrl+E)</source>
        <translation>Die Ereignisse der Tabelle (alle, nicht nur die geladenen Zeilen) als JSON Lines oder CSV exportieren (Strg+E)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to &amp;stream…</source>
        <translation>Zu &amp;Stream gehen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ctrl+G</source>
        <translation>Ctrl+G</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to &amp;position…</source>
        <translation>Zu &amp;Position gehen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ctrl+P</source>
        <translation>Ctrl+P</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to &amp;time…</source>
        <translation>Zu &amp;Zeit gehen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Newest events</source>
        <translation>&amp;Neueste Ereignisse</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ctrl+Home</source>
        <translation>Ctrl+Home</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Oldest events</source>
        <translation>Ä&amp;lteste Ereignisse</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ctrl+End</source>
        <translation>Ctrl+End</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cancel search</source>
        <translation>Suche &amp;abbrechen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Live tail</source>
        <translation>&amp;Live-Verfolgung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show events as they are appended, by anyone (Ctrl+L)</source>
        <translation>Ereignisse zeigen, sobald sie angehängt werden, von wem auch immer (Strg+L)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Operations</source>
        <translation>&amp;Betrieb</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Dispatch a command…</source>
        <translation>Befehl &amp;ausführen…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Projections</source>
        <translation>&amp;Projektionen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ctrl+J</source>
        <translation>Ctrl+J</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About EventScope</source>
        <translation>&amp;Über EventScope</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About EventScope</source>
        <translation>Über EventScope</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;EventScope %1&lt;/b&gt;&lt;p&gt;Desktop admin and event explorer for event-sourced systems.&lt;/p&gt;</source>
        <translation>&lt;b&gt;EventScope %1&lt;/b&gt;&lt;p&gt;Desktop-Administration und Ereignis-Explorer für Event-Sourcing-Systeme.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Role: %1</source>
        <translation>Rolle: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>auditor: read-only; support: corrective commands, pause and resume projections; developer: everything</source>
        <translation>Prüfer: nur lesen; Support: Korrekturbefehle, Projektionen pausieren und fortsetzen; Entwickler: alles</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>⚡ %1</source>
        <translation>⚡ %1</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>The store cannot be shown</source>
        <translation>Der Speicher kann nicht angezeigt werden</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>No store open</source>
        <translation>Kein Speicher geöffnet</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Head %1</source>
        <translation>Kopf %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 events</source>
        <translation>%1 Ereignisse</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 store %2 (read-only)</source>
        <translation>%1-Speicher %2 (schreibgeschützt)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 store %2</source>
        <translation>%1-Speicher %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>○ Not live</source>
        <translation>○ Nicht live</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Watching the store for appends failed (retrying): %1</source>
        <translation>Das Beobachten des Speichers auf neue Ereignisse ist fehlgeschlagen (wird wiederholt): %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>● Live</source>
        <translation>● Live</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The store is watched: events appended by anyone appear as they commit</source>
        <translation>Der Speicher wird beobachtet: von wem auch immer angehängte Ereignisse erscheinen, sobald sie festgeschrieben sind</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>◐ Live tail off</source>
        <translation>◐ Live-Verfolgung aus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New events are not added to the table until you turn live tail on (Ctrl+L)</source>
        <translation>Neue Ereignisse werden erst in die Tabelle übernommen, wenn Sie die Live-Verfolgung einschalten (Strg+L)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Loading events…</source>
        <translation>Ereignisse werden geladen…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Search stopped: %1 events shown</source>
        <translation>Suche gestoppt: %1 Ereignisse gezeigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 matching events</source>
        <translation>%1 passende Ereignisse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 events loaded, more on scrolling</source>
        <translation>%1 Ereignisse geladen, weitere beim Scrollen</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Searching %1. Content searches stop after 10 seconds; Esc cancels.</source>
        <translation>%1 wird durchsucht. Inhaltssuchen enden nach 10 Sekunden; Esc bricht ab.</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>That event is not in the store (any more).</source>
        <translation>Dieses Ereignis ist nicht (mehr) im Speicher.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The list of event types could not be read: %1</source>
        <translation>Die Liste der Ereignistypen konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="-188"/>
        <source>%1 — EventScope</source>
        <translation>%1 — EventScope</translation>
    </message>
    <message>
        <location line="-250"/>
        <location line="+11"/>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <location line="+234"/>
        <source>SQLite</source>
        <translation>SQLite</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
</context>
<context>
    <name>EventScope::OperatorAuditModel</name>
    <message>
        <location filename="../ui/models/operatorauditmodel.cpp" line="+195"/>
        <source>%1 UTC</source>
        <translation>%1 UTC</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>At</source>
        <translation>Um</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Projection</source>
        <translation>Projektion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
</context>
<context>
    <name>EventScope::ProjectionActionDialog</name>
    <message>
        <location filename="../ui/projectionspane.cpp" line="+131"/>
        <source>Required: why, for the audit log (e.g. a ticket)</source>
        <translation>Erforderlich: warum, für das Audit-Protokoll (z. B. ein Ticket)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optional: why, for the audit log</source>
        <translation>Optional: warum, für das Audit-Protokoll</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded in the operator audit log with your name and role</source>
        <translation>Wird mit Ihrem Namen und Ihrer Rolle im Operator-Audit-Protokoll festgehalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Reason (required):</source>
        <translation>&amp;Grund (erforderlich):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Reason:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Give a reason first; the audit log records it</source>
        <translation>Geben Sie zuerst einen Grund an; das Audit-Protokoll hält ihn fest</translation>
    </message>
</context>
<context>
    <name>EventScope::ProjectionManager</name>
    <message>
        <location filename="../core/projections/projectionmanager.cpp" line="+63"/>
        <source>No projection was given.</source>
        <translation>Es wurde keine Projektion angegeben.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Projections are added before the manager starts; %1 came too late.</source>
        <translation>Projektionen werden hinzugefügt, bevor der Manager startet; %1 kam zu spät.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; is not a valid projection name: use lower-case letters, digits and single underscores, starting with a letter (e.g. account_balances).</source>
        <translation>&apos;%1&apos; ist kein gültiger Projektionsname: verwenden Sie Kleinbuchstaben, Ziffern und einzelne Unterstriche, beginnend mit einem Buchstaben (z. B. account_balances).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A projection named %1 is registered already.</source>
        <translation>Eine Projektion namens %1 ist bereits registriert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The projection %1 has version %2; versions start at 1.</source>
        <translation>Die Projektion %1 hat Version %2; Versionen beginnen bei 1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The projection %1 declares no tables.</source>
        <translation>Die Projektion %1 deklariert keine Tabellen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The projection %1 declares a table &apos;%2&apos;: use lower-case letters, digits and single underscores.</source>
        <translation>Die Projektion %1 deklariert eine Tabelle &apos;%2&apos;: verwenden Sie Kleinbuchstaben, Ziffern und einzelne Unterstriche.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The table %1 of the projection %2 is declared by another projection already.</source>
        <translation>Die Tabelle %1 der Projektion %2 wird bereits von einer anderen Projektion deklariert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The table %1 of the projection %2 has no columns.</source>
        <translation>Die Tabelle %1 der Projektion %2 hat keine Spalten.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Could not read the checkpoint of %1: %2</source>
        <translation>Der Checkpoint von %1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Could not read the projections: %1</source>
        <translation>Die Projektionen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>Could not read the operator audit log: %1</source>
        <translation>Das Operator-Audit-Protokoll konnte nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>EventScope::ProjectionStatusModel</name>
    <message>
        <location filename="../ui/models/projectionstatusmodel.cpp" line="+196"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>catching up</source>
        <translation>holt auf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>live</source>
        <translation>live</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rebuilding</source>
        <translation>wird neu aufgebaut</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>faulted</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running elsewhere</source>
        <translation>läuft anderswo</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>0 s</source>
        <translation>0 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rebuilding v%1: %2</source>
        <translation>Neuaufbau v%1: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>catching up: %1</source>
        <translation>holt auf: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>at %1 (%2 in %3): %4</source>
        <translation>bei %1 (%2 in %3): %4</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Read model version %1</source>
        <translation>Lesemodell-Version %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Code version %1; the stored read model is version %2</source>
        <translation>Code-Version %1; das gespeicherte Lesemodell hat Version %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not run by this EventScope; its read model stays as it is.</source>
        <translation>Wird von diesem EventScope nicht ausgeführt; sein Lesemodell bleibt, wie es ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading the events towards the head of the store.</source>
        <translation>Liest die Ereignisse bis zum Kopf des Speichers.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Caught up; applies events as they are appended.</source>
        <translation>Aufgeholt; wendet Ereignisse an, sobald sie angehängt werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused by an operator; resume it to apply events again.</source>
        <translation>Von einem Operator pausiert; setzen Sie sie fort, damit sie wieder Ereignisse anwendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Building a new read model in shadow tables; the current one keeps serving until it has caught up.</source>
        <translation>Baut ein neues Lesemodell in Schattentabellen auf; das aktuelle bedient weiter, bis das neue aufgeholt hat.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stopped on an event it cannot apply: retry it, or skip the event.</source>
        <translation>Bei einem Ereignis gestoppt, das sie nicht anwenden kann: wiederholen Sie es oder überspringen Sie das Ereignis.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run by another EventScope instance (%1).</source>
        <translation>Wird von einer anderen EventScope-Instanz ausgeführt (%1).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Events in $all not yet applied</source>
        <translation>Noch nicht angewendete Ereignisse in $all</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+79"/>
        <source>Age of the oldest event not yet applied</source>
        <translation>Alter des ältesten noch nicht angewendeten Ereignisses</translation>
    </message>
    <message>
        <location line="-77"/>
        <source>Events applied per second, recently</source>
        <translation>Zuletzt pro Sekunde angewendete Ereignisse</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+79"/>
        <source>Time until caught up at the current rate</source>
        <translation>Zeit bis zum Aufholen bei der aktuellen Rate</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>Rebuild to version %1: %2 of %3 (%4), started %5</source>
        <translation>Neuaufbau auf Version %1: %2 von %3 (%4), gestartet %5</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no reason given</source>
        <translation>kein Grund angegeben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Caught up to %1 of %2</source>
        <translation>Aufgeholt bis %1 von %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Faulted on event %1 (%2) of stream %3 at %4:
%5</source>
        <translation>Fehlgeschlagen bei Ereignis %1 (%2) des Streams %3 um %4:
%5</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Projection</source>
        <translation>Projektion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The $all position applied last</source>
        <translation>Die zuletzt angewendete $all-Position</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The $all position of the newest event</source>
        <translation>Die $all-Position des neuesten Ereignisses</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Head</source>
        <translation>Kopf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Events not yet applied</source>
        <translation>Noch nicht angewendete Ereignisse</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Lag</source>
        <translation>Rückstand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lag (time)</source>
        <translation>Rückstand (Zeit)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Events/s</source>
        <translation>Ereignisse/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ETA</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress of a rebuild or of catching up</source>
        <translation>Fortschritt eines Neuaufbaus oder des Aufholens</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
</context>
<context>
    <name>EventScope::ProjectionsPane</name>
    <message>
        <location filename="../ui/projectionspane.cpp" line="+76"/>
        <location line="+99"/>
        <source>Projections</source>
        <translation>Projektionen</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>&amp;Pause…</source>
        <translation>&amp;Pausieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Res&amp;ume…</source>
        <translation>&amp;Fortsetzen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;eset…</source>
        <translation>&amp;Zurücksetzen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;build…</source>
        <translation>&amp;Neu aufbauen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cancel rebuild…</source>
        <translation>Neuaufbau abbre&amp;chen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;try…</source>
        <translation>&amp;Wiederholen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Skip event…</source>
        <translation>Ereignis ü&amp;berspringen…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Show &amp;faulted event</source>
        <translation>&amp;Fehlerhaftes Ereignis zeigen</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Operator audit log</source>
        <translation>Operator-Audit-Protokoll</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read the operator audit log again</source>
        <translation>Das Operator-Audit-Protokoll neu lesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the whole operator audit log as a CSV file</source>
        <translation>Das gesamte Operator-Audit-Protokoll als CSV-Datei speichern</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Could not read the projections: %1</source>
        <translation>Die Projektionen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No operator has acted on a projection yet.</source>
        <translation>Bisher hat kein Operator an einer Projektion gehandelt.</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n entries, newest first</source>
        <translation>
            <numerusform>%n Eintrag, neueste zuerst</numerusform>
            <numerusform>%n Einträge, neueste zuerst</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not read the audit log: %1</source>
        <translation>Das Audit-Protokoll konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+449"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="-449"/>
        <location line="+413"/>
        <source>No store open.</source>
        <translation>Kein Speicher geöffnet.</translation>
    </message>
    <message>
        <location line="-315"/>
        <source>pause</source>
        <translation>pausieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>resume</source>
        <translation>fortsetzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reset</source>
        <translation>zurücksetzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rebuild</source>
        <translation>neu aufbauen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cancel rebuilds of</source>
        <translation>Neuaufbau abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>retry faulted events of</source>
        <translation>fehlgeschlagene Ereignisse wiederholen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>skip faulted events of</source>
        <translation>fehlgeschlagene Ereignisse überspringen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No store is open. Open one to see its projections.</source>
        <translation>Kein Speicher ist geöffnet. Öffnen Sie einen, um seine Projektionen zu sehen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The %1 role may not %2 projections. %3</source>
        <translation>Die Rolle %1 darf Folgendes bei Projektionen nicht: %2. %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask someone with the support or developer role.</source>
        <translation>Fragen Sie jemanden mit der Rolle Support oder Entwickler.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ask a developer.</source>
        <translation>Fragen Sie einen Entwickler.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Select a projection first.</source>
        <translation>Wählen Sie zuerst eine Projektion.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another action is on its way; wait until it is done.</source>
        <translation>Eine andere Aktion läuft gerade; warten Sie, bis sie fertig ist.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The projections are not running in this EventScope, so it cannot act on them. Start them (or act in the instance that runs them).</source>
        <translation>Die Projektionen laufen in diesem EventScope nicht, daher kann es nicht auf sie einwirken. Starten Sie sie (oder handeln Sie in der Instanz, die sie ausführt).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 runs in another EventScope instance (%2). Do this there, or stop that instance.</source>
        <translation>%1 läuft in einer anderen EventScope-Instanz (%2). Tun Sie dies dort oder stoppen Sie diese Instanz.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is paused already.</source>
        <translation>%1 ist bereits pausiert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not paused.</source>
        <translation>%1 ist nicht pausiert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+46"/>
        <source>%1 is not being rebuilt.</source>
        <translation>%1 wird nicht neu aufgebaut.</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>%1 is not faulted; there is no event to %2.</source>
        <translation>%1 ist nicht fehlgeschlagen; es gibt kein Ereignis zum %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Pause %1 at checkpoint %2 of %3: it stops applying events until someone resumes it, and its lag grows with every event appended. Its read model keeps answering queries as it is now. The pause is kept across restarts.</source>
        <translation>%1 bei Checkpoint %2 von %3 pausieren: sie wendet keine Ereignisse mehr an, bis jemand sie fortsetzt, und ihr Rückstand wächst mit jedem angehängten Ereignis. Ihr Lesemodell beantwortet Abfragen weiter mit dem jetzigen Stand. Die Pause bleibt über Neustarts erhalten.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume %1: it applies the %2 events appended since its checkpoint %3, then goes live.</source>
        <translation>%1 fortsetzen: sie wendet die %2 seit ihrem Checkpoint %3 angehängten Ereignisse an und geht dann live.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset %1: its read model is emptied and its checkpoint set to 0 (it is at %2 now), then it catches up from the start over %3 events. Until it has caught up, queries on it answer from an incomplete read model. To keep serving meanwhile, rebuild instead.</source>
        <translation>%1 zurücksetzen: ihr Lesemodell wird geleert und ihr Checkpoint auf 0 gesetzt (jetzt bei %2), dann holt sie von Anfang an über %3 Ereignisse auf. Bis sie aufgeholt hat, antworten Abfragen aus einem unvollständigen Lesemodell. Um währenddessen weiter zu bedienen, bauen Sie stattdessen neu auf.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rebuild %1 from %2 events: a new read model (version %3) is built in shadow tables; the current read model keeps serving until the new one has caught up, then they are swapped.</source>
        <translation>%1 aus %2 Ereignissen neu aufbauen: ein neues Lesemodell (Version %3) wird in Schattentabellen aufgebaut; das aktuelle Lesemodell bedient weiter, bis das neue aufgeholt hat, dann werden sie getauscht.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The rebuild running now (%1 of %2) starts again from 0.</source>
        <translation>Der laufende Neuaufbau (%1 von %2) beginnt erneut bei 0.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancel the rebuild of %1 to version %2 at %3 % (%4 of %5 events): its shadow tables are dropped; the current read model stays as it is.</source>
        <translation>Den Neuaufbau von %1 auf Version %2 bei %3 % (%4 von %5 Ereignissen) abbrechen: seine Schattentabellen werden gelöscht; das aktuelle Lesemodell bleibt, wie es ist.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The stored read model is version %1, which this EventScope cannot keep up to date: %2 stays paused until it is rebuilt.</source>
        <translation>Das gespeicherte Lesemodell hat Version %1, die dieses EventScope nicht aktuell halten kann: %2 bleibt pausiert, bis sie neu aufgebaut wird.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+8"/>
        <source>%1 is not faulted.</source>
        <translation>%1 ist nicht fehlgeschlagen.</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Retry event %1 (%2 in stream %3) that %4 stopped on with: %5

If it fails again, %4 faults again on the same event.</source>
        <translation>Das Ereignis %1 (%2 im Stream %3) wiederholen, bei dem %4 mit folgendem Fehler gestoppt hat: %5

Schlägt es erneut fehl, schlägt %4 beim selben Ereignis erneut fehl.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Skip event %1 of stream %2 (type %3) in %4. It failed with: %5

The read model will never reflect this event; %4 goes on with the next one. The skipped event is recorded in the audit log.</source>
        <translation>Ereignis %1 des Streams %2 (Typ %3) in %4 überspringen. Es schlug fehl mit: %5

Das Lesemodell wird dieses Ereignis nie widerspiegeln; %4 macht mit dem nächsten weiter. Das übersprungene Ereignis wird im Audit-Protokoll festgehalten.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recorded in the operator audit log as %1 (%2).</source>
        <translation>Im Operator-Audit-Protokoll als %1 (%2) festgehalten.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 %2…</source>
        <translation>%1 %2…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not %1 %2: %3</source>
        <translation>„%1“ für %2 fehlgeschlagen: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is paused.</source>
        <translation>%1 ist pausiert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is resumed.</source>
        <translation>%1 wird fortgesetzt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 was reset; it catches up from the start.</source>
        <translation>%1 wurde zurückgesetzt; sie holt von Anfang an auf.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is being rebuilt; the current read model serves until the new one has caught up.</source>
        <translation>%1 wird neu aufgebaut; das aktuelle Lesemodell bedient, bis das neue aufgeholt hat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The rebuild of %1 was cancelled.</source>
        <translation>Der Neuaufbau von %1 wurde abgebrochen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 tries the faulted event again.</source>
        <translation>%1 versucht das fehlgeschlagene Ereignis erneut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 skipped the faulted event and goes on.</source>
        <translation>%1 hat das fehlgeschlagene Ereignis übersprungen und macht weiter.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Show event %1 (%2 of %3) in the events list and the inspector</source>
        <translation>Ereignis %1 (%2 von %3) in der Ereignisliste und im Inspektor zeigen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The selected projection has not stopped on an event</source>
        <translation>Die ausgewählte Projektion ist an keinem Ereignis stehen geblieben</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Stop applying events until resumed; the read model keeps serving as it is</source>
        <translation>Keine Ereignisse mehr anwenden, bis fortgesetzt wird; das Lesemodell bedient weiter wie jetzt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply events again from the checkpoint</source>
        <translation>Ereignisse wieder ab dem Checkpoint anwenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Empty the read model and build it again from the first event (offline meanwhile)</source>
        <translation>Das Lesemodell leeren und ab dem ersten Ereignis neu aufbauen (solange offline)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Build a new read model in shadow tables while the current one keeps serving</source>
        <translation>Ein neues Lesemodell in Schattentabellen aufbauen, während das aktuelle weiter bedient</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Drop the shadow tables of the rebuild; the current read model stays</source>
        <translation>Die Schattentabellen des Neuaufbaus löschen; das aktuelle Lesemodell bleibt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Try the event the projection stopped on again</source>
        <translation>Das Ereignis, bei dem die Projektion gestoppt hat, erneut versuchen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Step over the event the projection stopped on, recorded in the audit log</source>
        <translation>Das Ereignis, bei dem die Projektion gestoppt hat, überspringen; wird im Audit-Protokoll festgehalten</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Read-only: you are signed in as auditor. Ask someone with the support role to pause, resume or retry a projection, and a developer to reset, rebuild or skip an event.</source>
        <translation>Nur lesen: Sie sind als Prüfer angemeldet. Bitten Sie jemanden mit der Rolle Support, eine Projektion zu pausieren, fortzusetzen oder zu wiederholen, und einen Entwickler, sie zurückzusetzen, neu aufzubauen oder ein Ereignis zu überspringen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>As support you may pause, resume and retry projections. Reset, rebuild, cancelling a rebuild and skipping an event need a developer.</source>
        <translation>Als Support dürfen Sie Projektionen pausieren, fortsetzen und wiederholen. Zurücksetzen, Neuaufbau, Abbrechen eines Neuaufbaus und Überspringen eines Ereignisses brauchen einen Entwickler.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Select a projection to act on it.</source>
        <translation>Wählen Sie eine Projektion, um auf sie einzuwirken.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>code version %1, stored read model version %2</source>
        <translation>Code-Version %1, gespeicherte Lesemodell-Version %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Faulted on event %1 (%2) of stream %3: %4</source>
        <translation>Fehlgeschlagen bei Ereignis %1 (%2) des Streams %3: %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run by %1.</source>
        <translation>Ausgeführt von %1.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>another instance</source>
        <translation>eine andere Instanz</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Export the operator audit log</source>
        <translation>Das Operator-Audit-Protokoll exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>An export is on its way; wait until it is done.</source>
        <translation>Ein Export läuft gerade; warten Sie, bis er fertig ist.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No store is open: there is no audit log to export.</source>
        <translation>Kein Speicher ist geöffnet: es gibt kein Audit-Protokoll zu exportieren.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Exporting to %1…</source>
        <translation>Export nach %1…</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Exported %n audit entries to %1.</source>
        <translation>
            <numerusform>%n Audit-Eintrag nach %1 exportiert.</numerusform>
            <numerusform>%n Audit-Einträge nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not export the audit log to %1: %2</source>
        <translation>Das Audit-Protokoll konnte nicht nach %1 exportiert werden: %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Choose a folder you may write to.</source>
        <translation>Wählen Sie einen Ordner, in den Sie schreiben dürfen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the free space and try again.</source>
        <translation>Prüfen Sie den freien Speicherplatz und versuchen Sie es erneut.</translation>
    </message>
</context>
<context>
    <name>EventScope::QueryBus</name>
    <message>
        <location filename="../core/cqrs/querybus.cpp" line="+77"/>
        <source>There is no query called &quot;%1&quot;. Check its spelling, or list the available queries.</source>
        <translation>Es gibt keine Abfrage namens „%1“. Prüfen Sie die Schreibweise oder lassen Sie sich die verfügbaren Abfragen auflisten.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The query &quot;%1&quot; failed: %2. Report this as a bug.</source>
        <translation>Die Abfrage „%1“ ist fehlgeschlagen: %2. Melden Sie dies als Fehler.</translation>
    </message>
</context>
<context>
    <name>EventScope::RecentConnectionsModel</name>
    <message>
        <location filename="../ui/models/recentconnectionsmodel.cpp" line="+124"/>
        <source>Throwaway in-memory store</source>
        <translation>Flüchtiger In-Memory-Speicher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PostgreSQL (connection string not valid)</source>
        <translation>PostgreSQL (Verbindungszeichenkette ungültig)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>local socket</source>
        <translation>lokaler Socket</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 on %2 as %3</source>
        <translation>%1 auf %2 als %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (schema %1)</source>
        <translation> (Schema %1)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>SQLite file %1</source>
        <translation>SQLite-Datei %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PostgreSQL %1, schema %2</source>
        <translation>PostgreSQL %1, Schema %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1
Role: %2%3
Last opened %4</source>
        <translation>%1
Rolle: %2%3
Zuletzt geöffnet %4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, read-only</source>
        <translation>, schreibgeschützt</translation>
    </message>
</context>
<context>
    <name>EventScope::ResiliencePipeline</name>
    <message>
        <location filename="../core/resilience/resiliencepipeline.cpp" line="+41"/>
        <source>the command</source>
        <translation>den Befehl</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The event store was not called for %1: circuit breaker &quot;%2&quot; is open because too many recent calls failed. It lets a trial call through at %3 (UTC). Check that the database is reachable; the application recovers by itself once it is.</source>
        <translation>Der Event-Store wurde für %1 nicht aufgerufen: der Circuit Breaker „%2“ ist offen, weil zu viele letzte Aufrufe fehlgeschlagen sind. Er lässt um %3 (UTC) einen Probeaufruf durch. Prüfen Sie, ob die Datenbank erreichbar ist; die Anwendung erholt sich von selbst, sobald sie es ist.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the end of the sleep window</source>
        <translation>das Ende des Ruhefensters</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>all %1 slots are busy and %2 calls are already waiting</source>
        <translation>alle %1 Plätze belegt sind und bereits %2 Aufrufe warten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it waited %1 ms for one of %2 busy slots</source>
        <translation>er %1 ms auf einen von %2 belegten Plätzen gewartet hat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The event store was not called for %1: bulkhead &quot;%2&quot; turned it away because %3. The store is overloaded or slow; try again shortly, or raise resilience.bulkhead.max_requests / queue_size.</source>
        <translation>Der Event-Store wurde für %1 nicht aufgerufen: das Bulkhead „%2“ hat ihn abgewiesen, weil %3. Der Speicher ist überlastet oder langsam; versuchen Sie es gleich erneut oder erhöhen Sie resilience.bulkhead.max_requests / queue_size.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The event store did not answer %1 within %2 ms (resilience.timeout.duration). The call may still complete in the background — an append may still be stored, and retrying it with the same event ids is safe. Check the database&apos;s load and connectivity.</source>
        <translation>Der Event-Store hat %1 nicht innerhalb von %2 ms beantwortet (resilience.timeout.duration). Der Aufruf kann im Hintergrund noch abgeschlossen werden — ein Anhängevorgang kann noch gespeichert werden, und ihn mit denselben Ereignis-IDs zu wiederholen ist sicher. Prüfen Sie Last und Erreichbarkeit der Datenbank.</translation>
    </message>
</context>
<context>
    <name>EventScope::SnapshotListModel</name>
    <message>
        <location filename="../ui/models/snapshotlistmodel.cpp" line="+58"/>
        <source>matches</source>
        <translation>stimmt überein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>differs (1 field)</source>
        <translation>weicht ab (1 Feld)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>differs (%1 fields)</source>
        <translation>weicht ab (%1 Felder)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stale (older schema version)</source>
        <translation>veraltet (ältere Schemaversion)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot verify (no registered aggregate)</source>
        <translation>nicht prüfbar (kein registriertes Aggregat)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+45"/>
        <source>1 byte</source>
        <translation>1 Byte</translation>
    </message>
    <message>
        <location line="-45"/>
        <location line="+45"/>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>The state after the event at version %1 of %2.</source>
        <translation>Der Zustand nach dem Ereignis bei Version %1 von %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The layout version of the state the aggregate wrote (its snapshot schema version).</source>
        <translation>Die Layout-Version des Zustands, den das Aggregat geschrieben hat (seine Snapshot-Schemaversion).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of compact JSON</source>
        <translation>%1 kompaktes JSON</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 UTC</source>
        <translation>%1 UTC</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not verified yet: verify to rebuild the state from the events and compare.</source>
        <translation>Noch nicht geprüft: prüfen Sie, um den Zustand aus den Ereignissen neu aufzubauen und zu vergleichen.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Schema</source>
        <translation>Schema</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aggregate</source>
        <translation>Aggregat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Taken at</source>
        <translation>Aufgenommen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verification</source>
        <translation>Prüfung</translation>
    </message>
</context>
<context>
    <name>EventScope::SnapshotPane</name>
    <message>
        <location filename="../ui/snapshotpane.cpp" line="+78"/>
        <location line="+141"/>
        <source>No stream chosen: pick a stream to see its snapshots.</source>
        <translation>Kein Stream gewählt: wählen Sie einen Stream, um seine Momentaufnahmen zu sehen.</translation>
    </message>
    <message>
        <location line="-129"/>
        <source>&amp;Verify</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rebuild the selected snapshot&apos;s state from the events and compare</source>
        <translation>Den Zustand der ausgewählten Momentaufnahme aus den Ereignissen neu aufbauen und vergleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify &amp;all</source>
        <translation>&amp;Alle prüfen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verify every snapshot of this stream against the events</source>
        <translation>Jede Momentaufnahme dieses Streams gegen die Ereignisse prüfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>List the stream&apos;s snapshots again</source>
        <translation>Die Momentaufnahmen des Streams neu auflisten</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Snapshots</source>
        <translation>Momentaufnahmen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Snapshot state</source>
        <translation>Zustand der Momentaufnahme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The state stored in the snapshot, as JSON</source>
        <translation>Der in der Momentaufnahme gespeicherte Zustand als JSON</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Snapshot value</source>
        <translation>Wert der Momentaufnahme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rebuilt from events</source>
        <translation>Aus Ereignissen neu aufgebaut</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Fields where the snapshot and the events differ</source>
        <translation>Felder, in denen Momentaufnahme und Ereignisse abweichen</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Snapshots of %1</source>
        <translation>Momentaufnahmen von %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No store is open: open one to see the snapshots of &apos;%1&apos;.</source>
        <translation>Kein Speicher ist geöffnet: öffnen Sie einen, um die Momentaufnahmen von &apos;%1&apos; zu sehen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Could not list the snapshots of &apos;%1&apos;: %2 Check the connection, then reload.</source>
        <translation>Die Momentaufnahmen von &apos;%1&apos; konnten nicht aufgelistet werden: %2 Prüfen Sie die Verbindung und laden Sie dann neu.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Snapshots of %1 (1)</source>
        <translation>Momentaufnahmen von %1 (1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Snapshots of %1 (%2)</source>
        <translation>Momentaufnahmen von %1 (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The stream &apos;%1&apos; has no snapshots. Repositories take one every so many events (see the snapshot policy in the configuration).</source>
        <translation>Der Stream &apos;%1&apos; hat keine Momentaufnahmen. Repositories nehmen alle so und so viele Ereignisse eine auf (siehe die Snapshot-Richtlinie in der Konfiguration).</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Verifying the snapshot at version %1 against the events…</source>
        <translation>Die Momentaufnahme bei Version %1 wird gegen die Ereignisse geprüft…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verifying %1 snapshots against the events…</source>
        <translation>%1 Momentaufnahmen werden gegen die Ereignisse geprüft…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 of %2 snapshots match the events.</source>
        <translation>%1 von %2 Momentaufnahmen stimmen mit den Ereignissen überein.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Select a snapshot to see its state.</source>
        <translation>Wählen Sie eine Momentaufnahme, um ihren Zustand zu sehen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>State at version %1 (%2, snapshot schema version %3)</source>
        <translation>Zustand bei Version %1 (%2, Snapshot-Schemaversion %3)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Matches the events</source>
        <translation>Stimmt mit den Ereignissen überein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Differs from the events in 1 field: the snapshot is wrong (or apply() changed since it was taken).</source>
        <translation>Weicht in 1 Feld von den Ereignissen ab: die Momentaufnahme ist falsch (oder apply() hat sich seit der Aufnahme geändert).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Differs from the events in %1 fields: the snapshot is wrong (or apply() changed since it was taken).</source>
        <translation>Weicht in %1 Feldern von den Ereignissen ab: die Momentaufnahme ist falsch (oder apply() hat sich seit der Aufnahme geändert).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stale: written with another snapshot schema version</source>
        <translation>Veraltet: mit einer anderen Snapshot-Schemaversion geschrieben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot be verified</source>
        <translation>Nicht prüfbar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Verification failed</source>
        <translation>Prüfung fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(missing)</source>
        <translation>(fehlt)</translation>
    </message>
</context>
<context>
    <name>EventScope::SqlEventStore</name>
    <message>
        <location filename="../core/eventstore/sqleventstore.cpp" line="+137"/>
        <source>The Qt SQL driver %1 is not installed (install libqt6sql6-%2).</source>
        <translation>Der Qt-SQL-Treiber %1 ist nicht installiert (installieren Sie libqt6sql6-%2).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>There is no store at &apos;%1&apos;. Check the path, or create a new store there.</source>
        <translation>Unter &apos;%1&apos; gibt es keinen Speicher. Prüfen Sie den Pfad oder legen Sie dort einen neuen Speicher an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; is a directory. Give the path of a store file, such as %1/eventscope.db.</source>
        <translation>&apos;%1&apos; ist ein Verzeichnis. Geben Sie den Pfad einer Speicherdatei an, z. B. %1/eventscope.db.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot create a store at &apos;%1&apos;: the folder &apos;%2&apos; does not exist.</source>
        <translation>Unter &apos;%1&apos; kann kein Speicher angelegt werden: der Ordner &apos;%2&apos; existiert nicht.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Could not create a temporary folder for an in-memory store: %1</source>
        <translation>Für einen In-Memory-Speicher konnte kein temporärer Ordner angelegt werden: %1</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>the SQLite store &apos;%1&apos;</source>
        <translation>den SQLite-Speicher &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the PostgreSQL server</source>
        <translation>den PostgreSQL-Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to %1: %2. Check the connection settings and that the server is running.</source>
        <translation>Verbindung zu %1 nicht möglich: %2. Prüfen Sie die Verbindungseinstellungen und ob der Server läuft.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>This store was written by a newer EventScope (schema version %1; this version understands up to %2). Nothing was changed. Open it with a newer EventScope.</source>
        <translation>Dieser Speicher wurde von einem neueren EventScope geschrieben (Schemaversion %1; diese Version versteht bis %2). Es wurde nichts geändert. Öffnen Sie ihn mit einem neueren EventScope.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The database is empty: it holds no EventScope store. Create one first (eventscope-cli seed-demo, or open it without --read-only).</source>
        <translation>Die Datenbank ist leer: sie enthält keinen EventScope-Speicher. Legen Sie zuerst einen an (eventscope-cli seed-demo, oder öffnen Sie sie ohne --read-only).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This store uses schema version %1 and needs an upgrade to %2, which a read-only session cannot do. Open it once without --read-only.</source>
        <translation>Dieser Speicher verwendet Schemaversion %1 und braucht ein Upgrade auf %2, das eine schreibgeschützte Sitzung nicht durchführen kann. Öffnen Sie ihn einmal ohne --read-only.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not start the schema upgrade: %1</source>
        <translation>Das Schema-Upgrade konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Schema migration %1 (%2) failed and was rolled back: %3</source>
        <translation>Die Schemamigration %1 (%2) ist fehlgeschlagen und wurde zurückgerollt: %3</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>The store is open read-only; nothing can be appended. Reopen it without --read-only to write.</source>
        <translation>Der Speicher ist schreibgeschützt geöffnet; es kann nichts angehängt werden. Öffnen Sie ihn ohne --read-only erneut, um zu schreiben.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An append holds %1 events; at most %2 are allowed in one append. Split it.</source>
        <translation>Ein Anhängevorgang enthält %1 Ereignisse; höchstens %2 sind in einem Anhängevorgang erlaubt. Teilen Sie ihn auf.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Event %1 of %2 (&apos;%3&apos;)</source>
        <translation>Ereignis %1 von %2 (&apos;%3&apos;)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: its event id is empty.</source>
        <translation>: seine Ereignis-ID ist leer.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: its event id %1 appears twice in this append.</source>
        <translation>: seine Ereignis-ID %1 kommt in diesem Anhängevorgang zweimal vor.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>: schema version %1 is not valid; versions start at 1.</source>
        <translation>: Schemaversion %1 ist ungültig; Versionen beginnen bei 1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>: its payload is %1 bytes; the limit is %2 bytes (eventstore.options.max_payload_bytes).</source>
        <translation>: seine Nutzdaten umfassen %1 Bytes; die Grenze ist %2 Bytes (eventstore.options.max_payload_bytes).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>: its metadata is %1 bytes; the limit is %2 bytes.</source>
        <translation>: seine Metadaten umfassen %1 Bytes; die Grenze ist %2 Bytes.</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>looking up a duplicate event id</source>
        <translation>beim Nachschlagen einer doppelten Ereignis-ID</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A concurrent append stored the same events.</source>
        <translation>Ein gleichzeitiger Anhängevorgang hat dieselben Ereignisse gespeichert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Event %1 (number %2 of this append) is already stored in stream &apos;%3&apos; at version %4. Event ids are unique: give new events new ids. Nothing was written.</source>
        <translation>Das Ereignis %1 (Nummer %2 dieses Anhängevorgangs) ist bereits im Stream &apos;%3&apos; bei Version %4 gespeichert. Ereignis-IDs sind eindeutig: geben Sie neuen Ereignissen neue IDs. Es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A concurrent append used the same event ids.</source>
        <translation>Ein gleichzeitiger Anhängevorgang hat dieselben Ereignis-IDs verwendet.</translation>
    </message>
    <message>
        <location line="+35"/>
        <location line="+85"/>
        <source>reading stream &apos;%1&apos;</source>
        <translation>beim Lesen des Streams &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Position %1 is not valid; positions start at 0.</source>
        <translation>Die Position %1 ist ungültig; Positionen beginnen bei 0.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>reading all events</source>
        <translation>beim Lesen aller Ereignisse</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>listing streams</source>
        <translation>beim Auflisten der Streams</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>counting event types</source>
        <translation>beim Zählen der Ereignistypen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>reading the head position</source>
        <translation>beim Lesen der Kopfposition</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>reading the commit-safe head</source>
        <translation>beim Lesen des commit-sicheren Kopfes</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>counting events</source>
        <translation>beim Zählen der Ereignisse</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The connection to the database was lost; EventScope reconnects on the next attempt.</source>
        <translation>Die Verbindung zur Datenbank ist verloren gegangen; EventScope verbindet sich beim nächsten Versuch neu.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>The store is open read-only; open it for writing to import.</source>
        <translation>Der Speicher ist schreibgeschützt geöffnet; öffnen Sie ihn zum Schreiben, um zu importieren.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Could not begin the import: %1</source>
        <translation>Der Import konnte nicht begonnen werden: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>preparing the import</source>
        <translation>beim Vorbereiten des Imports</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>importing</source>
        <translation>beim Importieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Event %1 of &apos;%2&apos; has version %3, but the stream is at %4 here: an import continues each stream where it is. Import into a new store, or leave out what it holds already. Nothing was imported.</source>
        <translation>Das Ereignis %1 von &apos;%2&apos; hat Version %3, aber der Stream ist hier bei %4: ein Import setzt jeden Stream dort fort, wo er steht. Importieren Sie in einen neuen Speicher oder lassen Sie weg, was er bereits enthält. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Event %1 (%2, version %3) is stored here already. Nothing was imported.</source>
        <translation>Das Ereignis %1 (%2, Version %3) ist hier bereits gespeichert. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>importing an event</source>
        <translation>beim Importieren eines Ereignisses</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>importing a stream</source>
        <translation>beim Importieren eines Streams</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not commit the import: %1</source>
        <translation>Der Import konnte nicht festgeschrieben werden: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The store is open read-only; open it for writing to redate events.</source>
        <translation>Der Speicher ist schreibgeschützt geöffnet; öffnen Sie ihn zum Schreiben, um Ereignisse umzudatieren.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Could not begin redating events: %1</source>
        <translation>Das Umdatieren der Ereignisse konnte nicht beginnen: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>preparing to redate events</source>
        <translation>beim Vorbereiten des Umdatierens von Ereignissen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>redating an event</source>
        <translation>beim Umdatieren eines Ereignisses</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no event at version %1 of &apos;%2&apos; to redate. Nothing was changed.</source>
        <translation>Es gibt kein Ereignis in Version %1 von „%2“ zum Umdatieren. Nichts wurde geändert.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>redating a stream</source>
        <translation>beim Umdatieren eines Streams</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not commit the new event times: %1</source>
        <translation>Die neuen Ereigniszeiten konnten nicht festgeschrieben werden: %1</translation>
    </message>
</context>
<context>
    <name>EventScope::StreamListModel</name>
    <message>
        <location filename="../ui/models/streamlistmodel.cpp" line="+223"/>
        <source>%1: events recorded from %2 to %3 UTC</source>
        <translation>%1: Ereignisse aufgezeichnet von %2 bis %3 UTC</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last version</source>
        <translation>Letzte Version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last recorded at (UTC)</source>
        <translation>Zuletzt aufgezeichnet (UTC)</translation>
    </message>
</context>
<context>
    <name>EventScope::TimeTravelModel</name>
    <message>
        <location filename="../ui/models/timetravelmodel.cpp" line="+97"/>
        <source>The history stops before version %1: %2</source>
        <translation>Der Verlauf endet vor Version %1: %2</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>initial state</source>
        <translation>Anfangszustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>v%1 · %2 · position %3</source>
        <translation>v%1 · %2 · Position %3</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>added</source>
        <translation>hinzugefügt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>removed</source>
        <translation>entfernt</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The field has the value of the empty aggregate: no event set it.</source>
        <translation>Das Feld hat den Wert des leeren Aggregats: kein Ereignis hat es gesetzt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event %1, recorded %2 UTC</source>
        <translation>Ereignis %1, aufgezeichnet %2 UTC</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous value</source>
        <translation>Vorheriger Wert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set by</source>
        <translation>Gesetzt durch</translation>
    </message>
</context>
<context>
    <name>EventScope::TimeTravelPane</name>
    <message>
        <location filename="../ui/timetravelpane.cpp" line="+125"/>
        <source>First</source>
        <translation>Erste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The first version (Home)</source>
        <translation>Die erste Version (Pos1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One version back (Left)</source>
        <translation>Eine Version zurück (Links)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One version forward (Right)</source>
        <translation>Eine Version vor (Rechts)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last</source>
        <translation>Letzte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The last version (End)</source>
        <translation>Die letzte Version (Ende)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The version of the stream to show</source>
        <translation>Die anzuzeigende Version des Streams</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Jump to v</source>
        <translation>Springe zu v</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a version and press Enter to show it</source>
        <translation>Geben Sie eine Version ein und drücken Sie Eingabe, um sie zu zeigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jump to version</source>
        <translation>Zu Version springen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As of</source>
        <translation>Stand</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A moment (UTC): press Enter or Go to show the stream as it was then, at the last version recorded at or before it.</source>
        <translation>Ein Zeitpunkt (UTC): Drücken Sie die Eingabetaste oder „Los“, um den Stream so zu zeigen, wie er damals war – mit der letzten Version, die zu oder vor diesem Zeitpunkt aufgezeichnet wurde.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time to travel to (UTC)</source>
        <translation>Zielzeitpunkt der Zeitreise (UTC)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Go</source>
        <translation>Los</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the last version recorded at or before this time</source>
        <translation>Die letzte Version zeigen, die zu oder vor diesem Zeitpunkt aufgezeichnet wurde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Go to this time</source>
        <translation>Zu diesem Zeitpunkt gehen</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>One step per event: select one to see the state after it; double-click or press Enter to select the event in the events table.</source>
        <translation>Ein Schritt pro Ereignis: wählen Sie eines, um den Zustand danach zu sehen; Doppelklick oder Eingabe wählt das Ereignis in der Ereignistabelle aus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Versions of the stream</source>
        <translation>Versionen des Streams</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Fields at this version</source>
        <translation>Felder in dieser Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fields at this version: green added, amber changed, red removed. Double-click a field (or press Enter) to select the event that set it in the events table.</source>
        <translation>Felder in dieser Version: grün hinzugefügt, gelb geändert, rot entfernt. Doppelklicken Sie auf ein Feld (oder drücken Sie Eingabe), um das Ereignis, das es gesetzt hat, in der Ereignistabelle auszuwählen.</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>No store is open: open one to travel through the stream &apos;%1&apos;.</source>
        <translation>Kein Speicher ist geöffnet: öffnen Sie einen, um durch den Stream &apos;%1&apos; zu reisen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Could not read the events of &apos;%1&apos;: %2</source>
        <translation>Die Ereignisse von &apos;%1&apos; konnten nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Check the connection, then open the stream again.</source>
        <translation>Prüfen Sie die Verbindung und öffnen Sie den Stream dann erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The stream &apos;%1&apos; has no events.</source>
        <translation>Der Stream &apos;%1&apos; hat keine Ereignisse.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The stream did not exist yet at %1 UTC; its first event is from %2 UTC. Pick a later time.</source>
        <translation>Der Stream existierte am %1 UTC noch nicht; sein erstes Ereignis stammt vom %2 UTC. Wählen Sie einen späteren Zeitpunkt.</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>No stream chosen: pick a stream to travel through its history.</source>
        <translation>Kein Stream gewählt: wählen Sie einen Stream, um durch seinen Verlauf zu reisen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>no field changed</source>
        <translation>kein Feld geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 field changed</source>
        <translation>1 Feld geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 fields changed</source>
        <translation>%1 Felder geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 at version %2 of %3 · %4 · %5 UTC · %6</source>
        <translation>%1 bei Version %2 von %3 · %4 · %5 UTC · %6</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Event %1 at position %2 of $all, recorded %3 (local time).</source>
        <translation>Ereignis %1 an Position %2 von $all, aufgezeichnet %3 (Ortszeit).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stored with schema version %1, upcasted to %2.</source>
        <translation>Gespeichert mit Schemaversion %1, per Upcast auf %2 gebracht.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Generic JSON merge of payloads — no registered domain knows this stream, so the fields are what the events wrote (merged in order), not an aggregate&apos;s state.</source>
        <translation>Generisches JSON-Zusammenführen der Nutzdaten — keine registrierte Domäne kennt diesen Stream, daher sind die Felder das, was die Ereignisse geschrieben haben (der Reihe nach zusammengeführt), nicht der Zustand eines Aggregats.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Aggregate state: %1, replayed through its domain as the repository loads it.</source>
        <translation>Aggregatzustand: %1, durch seine Domäne abgespielt, wie das Repository es lädt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the registered aggregate</source>
        <translation>das registrierte Aggregat</translation>
    </message>
</context>
<context>
    <name>EventScope::ValidationMiddleware</name>
    <message>
        <location filename="../core/cqrs/validationmiddleware.cpp" line="+20"/>
        <source>&quot;%1&quot; has no field of this name; remove it.</source>
        <translation>„%1“ hat kein Feld dieses Namens; entfernen Sie es.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A corrective command needs a reason: say why the data must change.</source>
        <translation>Ein Korrekturbefehl braucht einen Grund: sagen Sie, warum die Daten geändert werden müssen.</translation>
    </message>
</context>
<context>
    <name>EventSearch</name>
    <message>
        <location filename="../core/explorer/eventsearch.cpp" line="+59"/>
        <source>A page of %1 events is not allowed; ask for 1 to %2.</source>
        <translation>Eine Seite mit %1 Ereignissen ist nicht erlaubt; fordern Sie 1 bis %2 an.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The search was cancelled. If it was too slow, narrow it: a shorter time range, an event type or a single stream.</source>
        <translation>Die Suche wurde abgebrochen. Falls sie zu langsam war, schränken Sie sie ein: ein kürzerer Zeitraum, ein Ereignistyp oder ein einzelner Stream.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The search stopped when its time limit of %1 s ran out. Narrow it (a shorter time range, an event type or a single stream), or raise the time limit.</source>
        <translation>Die Suche wurde nach Ablauf ihres Zeitlimits von %1 s beendet. Schränken Sie sie ein (ein kürzerer Zeitraum, ein Ereignistyp oder ein einzelner Stream) oder erhöhen Sie das Zeitlimit.</translation>
    </message>
    <message>
        <location line="+268"/>
        <source>The QSQLITE driver did not hand out its sqlite3 connection, so searches cannot be stopped.</source>
        <translation>Der QSQLITE-Treiber hat seine sqlite3-Verbindung nicht herausgegeben, daher können Suchen nicht abgebrochen werden.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not start the search: %1. Check the connection to the database.</source>
        <translation>Die Suche konnte nicht gestartet werden: %1. Prüfen Sie die Verbindung zur Datenbank.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>setting the search&apos;s time limit</source>
        <translation>beim Setzen des Zeitlimits der Suche</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>preparing the search</source>
        <translation>beim Vorbereiten der Suche</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Could not finish the search: %1</source>
        <translation>Die Suche konnte nicht abgeschlossen werden: %1</translation>
    </message>
    <message>
        <location line="+72"/>
        <location line="+18"/>
        <location line="+17"/>
        <source>searching events</source>
        <translation>beim Durchsuchen der Ereignisse</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>reading the event at position %1</source>
        <translation>beim Lesen des Ereignisses an Position %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>reading event %1</source>
        <translation>beim Lesen des Ereignisses %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>reading the events of correlation %1</source>
        <translation>beim Lesen der Ereignisse der Korrelation %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No time was given. Give the date and time to go to.</source>
        <translation>Es wurde keine Zeit angegeben. Geben Sie Datum und Uhrzeit an, zu denen gesprungen werden soll.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>finding the event at a time</source>
        <translation>beim Suchen des Ereignisses zu einer Zeit</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>counting event types</source>
        <translation>beim Zählen der Ereignistypen</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+5"/>
        <source>reading the range of positions</source>
        <translation>beim Lesen des Positionsbereichs</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A page of %1 streams is not allowed; ask for 1 to %2.</source>
        <translation>Eine Seite mit %1 Streams ist nicht erlaubt; fordern Sie 1 bis %2 an.</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>listing streams</source>
        <translation>beim Auflisten der Streams</translation>
    </message>
</context>
<context>
    <name>EventStore</name>
    <message>
        <location filename="../core/eventstore/eventstore.cpp" line="+39"/>
        <source>it has no events</source>
        <translation>er hat keine Ereignisse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is at version %1</source>
        <translation>er ist bei Version %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stream &apos;%1&apos; moved on: the append expected %2, but %3. Reload the stream and decide again.</source>
        <translation>Der Stream &apos;%1&apos; hat sich weiterbewegt: der Anhängevorgang erwartete %2, aber %3. Laden Sie den Stream neu und entscheiden Sie erneut.</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>The stream id is empty. Give a name such as &apos;user-42&apos;.</source>
        <translation>Die Stream-ID ist leer. Geben Sie einen Namen wie &apos;user-42&apos; an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The stream id is %1 characters long; at most %2 are allowed.</source>
        <translation>Die Stream-ID ist %1 Zeichen lang; höchstens %2 sind erlaubt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The stream id &apos;%1&apos; starts with &apos;$&apos;, which is reserved for the store&apos;s own streams such as $all.</source>
        <translation>Die Stream-ID &apos;%1&apos; beginnt mit &apos;$&apos;, das für die eigenen Streams des Speichers wie $all reserviert ist.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The stream id &apos;%1&apos; contains &apos;%2&apos;. Use letters, digits and - _ . : @ $ only.</source>
        <translation>Die Stream-ID &apos;%1&apos; enthält &apos;%2&apos;. Verwenden Sie nur Buchstaben, Ziffern und - _ . : @ $.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>An event has no type. Give it a name such as &apos;UserCreated&apos;.</source>
        <translation>Ein Ereignis hat keinen Typ. Geben Sie ihm einen Namen wie &apos;UserCreated&apos;.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The event type &apos;%1…&apos; is longer than %2 characters.</source>
        <translation>Der Ereignistyp &apos;%1…&apos; ist länger als %2 Zeichen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The event type &apos;%1&apos; must start with a letter.</source>
        <translation>Der Ereignistyp &apos;%1&apos; muss mit einem Buchstaben beginnen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The event type &apos;%1&apos; contains &apos;%2&apos;. Use letters, digits and _ . : - only.</source>
        <translation>Der Ereignistyp &apos;%1&apos; enthält &apos;%2&apos;. Verwenden Sie nur Buchstaben, Ziffern und _ . : -.</translation>
    </message>
    <message>
        <location filename="../core/eventstore/sqlitestatement.cpp" line="+28"/>
        <source>The QSQLITE driver did not hand out its sqlite3 connection.</source>
        <translation>Der QSQLITE-Treiber hat seine sqlite3-Verbindung nicht herausgegeben.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The store failed while preparing a statement: %1</source>
        <translation>Der Speicher ist beim Vorbereiten einer Anweisung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+67"/>
        <source>The store failed while %1: %2</source>
        <translation>Der Speicher ist fehlgeschlagen %1: %2</translation>
    </message>
    <message>
        <location filename="../core/eventstore/sqleventstore.cpp" line="-668"/>
        <source>preparing a statement</source>
        <translation>beim Vorbereiten einer Anweisung</translation>
    </message>
    <message>
        <location line="+282"/>
        <source>A page size of %1 is not allowed; use 1 to %2.</source>
        <translation>Eine Seitengröße von %1 ist nicht erlaubt; verwenden Sie 1 bis %2.</translation>
    </message>
    <message>
        <location filename="../core/eventstore/sqlitedialect.cpp" line="+27"/>
        <source>&apos;%1&apos; is not an EventScope store: it is not an SQLite database (%2). Nothing was changed. Choose a store file, or a new file name to create one.</source>
        <translation>&apos;%1&apos; ist kein EventScope-Speicher: es ist keine SQLite-Datenbank (%2). Es wurde nichts geändert. Wählen Sie eine Speicherdatei oder einen neuen Dateinamen, um einen anzulegen.</translation>
    </message>
</context>
<context>
    <name>EventStoreHealthCheck</name>
    <message>
        <location filename="../core/monitoring/eventstorehealthcheck.cpp" line="+43"/>
        <source>The event store is closed. Open it again or restart the service.</source>
        <translation>Der Event-Store ist geschlossen. Öffnen Sie ihn erneut oder starten Sie den Dienst neu.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cannot reach the event store: %1</source>
        <translation>Der Event-Store ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The event store did not %1 within the health check&apos;s timeout (%2 ms so far): %3</source>
        <translation>Der Event-Store konnte nicht innerhalb des Timeouts der Zustandsprüfung %1 (bisher %2 ms): %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The event store cannot %1: %2</source>
        <translation>Der Event-Store kann nicht %1: %2</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+4"/>
        <source>read</source>
        <translation>lesen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> The store&apos;s schema is version %1 but this EventScope uses version %2: another EventScope changed it; restart with a matching version.</source>
        <translation> Das Schema des Speichers hat Version %1, aber dieses EventScope verwendet Version %2: ein anderes EventScope hat es geändert; starten Sie mit einer passenden Version neu.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Read schema version %1 in %2 ms (%3, read-only: writes not checked).</source>
        <translation>Schemaversion %1 in %2 ms gelesen (%3, schreibgeschützt: Schreiben nicht geprüft).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The event store is readable, but this process&apos;s writers held the write lock for longer than the health check&apos;s timeout (%1 ms).</source>
        <translation>Der Event-Store ist lesbar, aber die Schreiber dieses Prozesses hielten die Schreibsperre länger als das Timeout der Zustandsprüfung (%1 ms).</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+2"/>
        <location line="+2"/>
        <location line="+4"/>
        <location line="+2"/>
        <location line="+3"/>
        <source>write</source>
        <translation>schreiben</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>the schema version row %1 is missing</source>
        <translation>die Zeile der Schemaversion %1 fehlt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Read and wrote schema version %1 in %2 ms (%3).</source>
        <translation>Schemaversion %1 in %2 ms gelesen und geschrieben (%3).</translation>
    </message>
</context>
<context>
    <name>EventTypeRegistry</name>
    <message>
        <location filename="../core/domain/eventtyperegistry.cpp" line="+17"/>
        <source>Event type &apos;%1&apos; cannot have schema version %2: versions start at 1.</source>
        <translation>Der Ereignistyp &apos;%1&apos; kann keine Schemaversion %2 haben: Versionen beginnen bei 1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Event type &apos;%1&apos; is registered already with schema version %2; register each type once.</source>
        <translation>Der Ereignistyp &apos;%1&apos; ist bereits mit Schemaversion %2 registriert; registrieren Sie jeden Typ einmal.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot add an upcaster for &apos;%1&apos;: the event type is not registered. Register the type first.</source>
        <translation>Für &apos;%1&apos; kann kein Upcaster hinzugefügt werden: der Ereignistyp ist nicht registriert. Registrieren Sie zuerst den Typ.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An upcaster of &apos;%1&apos; from version %2 makes no sense: the current version is %3, so upcasters go from 1 to %4.</source>
        <translation>Ein Upcaster von &apos;%1&apos; ab Version %2 ergibt keinen Sinn: die aktuelle Version ist %3, daher gehen Upcaster von 1 bis %4.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The upcaster of &apos;%1&apos; from version %2 is empty.</source>
        <translation>Der Upcaster von &apos;%1&apos; ab Version %2 ist leer.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; has an upcaster from version %2 already; register one per step.</source>
        <translation>&apos;%1&apos; hat bereits einen Upcaster ab Version %2; registrieren Sie einen pro Schritt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&apos;%1&apos; v%2 → v%3</source>
        <translation>&apos;%1&apos; v%2 → v%3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Upcasters are missing for %1. Register them, or stored events of those versions cannot be read.</source>
        <translation>Für %1 fehlen Upcaster. Registrieren Sie sie, sonst können gespeicherte Ereignisse dieser Versionen nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Event %1 of stream &apos;%2&apos; (version %3) is &apos;%4&apos; schema version %5, but this build knows that type only up to version %6. Update the application, or register the newer version.</source>
        <translation>Das Ereignis %1 des Streams &apos;%2&apos; (Version %3) ist &apos;%4&apos; mit Schemaversion %5, aber dieser Build kennt diesen Typ nur bis Version %6. Aktualisieren Sie die Anwendung oder registrieren Sie die neuere Version.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Event %1 of stream &apos;%2&apos; cannot be upcasted: &apos;%3&apos; has no upcaster from version %4 to %5. Register it.</source>
        <translation>Das Ereignis %1 des Streams &apos;%2&apos; kann nicht per Upcast umgewandelt werden: &apos;%3&apos; hat keinen Upcaster von Version %4 auf %5. Registrieren Sie ihn.</translation>
    </message>
</context>
<context>
    <name>EventTypeStatisticsQuery</name>
    <message>
        <location filename="../core/engine/eventtypestatisticsquery.cpp" line="+27"/>
        <source>&quot;from&quot; (%1) is after &quot;to&quot; (%2). Pass from ≤ to.</source>
        <translation>„from“ (%1) liegt nach „to“ (%2). Geben Sie from ≤ to an.</translation>
    </message>
</context>
<context>
    <name>EventTypeStatsProjection</name>
    <message>
        <location filename="../core/projections/eventtypestatsprojection.cpp" line="+24"/>
        <source>Number of events of each type per day (UTC).</source>
        <translation>Anzahl der Ereignisse jedes Typs pro Tag (UTC).</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Writing the event type statistics failed.</source>
        <translation>Das Schreiben der Ereignistyp-Statistik ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>FaultInjectingEventStore</name>
    <message>
        <location filename="../core/resilience/faultinjectingeventstore.cpp" line="+91"/>
        <source>Injected fault (chaos drill): the event store is in a simulated outage, %1 was not run. Turn fault injection off to end the drill.</source>
        <translation>Injizierter Fehler (Chaos-Übung): der Event-Store befindet sich in einem simulierten Ausfall, %1 wurde nicht ausgeführt. Schalten Sie die Fehlerinjektion aus, um die Übung zu beenden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Injected fault (chaos drill): a simulated connection failure, %1 was not run. Turn fault injection off to end the drill.</source>
        <translation>Injizierter Fehler (Chaos-Übung): ein simulierter Verbindungsfehler, %1 wurde nicht ausgeführt. Schalten Sie die Fehlerinjektion aus, um die Übung zu beenden.</translation>
    </message>
</context>
<context>
    <name>FieldDescriptor</name>
    <message>
        <location filename="../core/cqrs/fielddescriptor.cpp" line="+37"/>
        <source>%1 is below the minimum of %2.</source>
        <translation>%1 liegt unter dem Minimum von %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is above the maximum of %2.</source>
        <translation>%1 liegt über dem Maximum von %2.</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+9"/>
        <source>A value is required.</source>
        <translation>Ein Wert ist erforderlich.</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Enter text.</source>
        <translation>Geben Sie Text ein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter at least %1 characters.</source>
        <translation>Geben Sie mindestens %1 Zeichen ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter at most %1 characters.</source>
        <translation>Geben Sie höchstens %1 Zeichen ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&quot;%1&quot; is not allowed; choose one of: %2.</source>
        <translation>„%1“ ist nicht erlaubt; wählen Sie eines von: %2.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter a whole number.</source>
        <translation>Geben Sie eine ganze Zahl ein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter an amount with at most two decimal places (given in cents).</source>
        <translation>Geben Sie einen Betrag mit höchstens zwei Nachkommastellen ein (in Cent angegeben).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter true or false.</source>
        <translation>Geben Sie true oder false ein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose one of: %1.</source>
        <translation>Wählen Sie eines von: %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter a UUID such as 123e4567-e89b-12d3-a456-426614174000.</source>
        <translation>Geben Sie eine UUID ein, z. B. 123e4567-e89b-12d3-a456-426614174000.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>&quot;%1&quot; is not a whole number.</source>
        <translation>„%1“ ist keine ganze Zahl.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&quot;%1&quot; is not an amount; write it like 12.34.</source>
        <translation>„%1“ ist kein Betrag; schreiben Sie ihn wie 12.34.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&quot;%1&quot; is not true or false.</source>
        <translation>„%1“ ist nicht true oder false.</translation>
    </message>
</context>
<context>
    <name>MonitoringHub</name>
    <message>
        <location filename="../core/monitoring/monitoringhub.cpp" line="+139"/>
        <source>No event store is open, so nothing can be checked. Connect to a store first.</source>
        <translation>Kein Event-Store ist geöffnet, daher kann nichts geprüft werden. Verbinden Sie sich zuerst mit einem Speicher.</translation>
    </message>
</context>
<context>
    <name>PostgresConnection</name>
    <message>
        <location filename="../core/eventstore/postgresconnection.cpp" line="+14"/>
        <source>The PostgreSQL connection string is not valid: %1. Use a URL such as postgres://user@localhost:5432/events or key=value pairs such as &quot;host=localhost port=5432 dbname=events user=me&quot;.</source>
        <translation>Die PostgreSQL-Verbindungszeichenkette ist ungültig: %1. Verwenden Sie eine URL wie postgres://user@localhost:5432/events oder Schlüssel=Wert-Paare wie &quot;host=localhost port=5432 dbname=events user=me&quot;.</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>the database name &apos;%1&apos; contains &apos;/&apos;</source>
        <translation>der Datenbankname &apos;%1&apos; enthält &apos;/&apos;</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+57"/>
        <source>port &apos;%1&apos; is not a number between 1 and 65535</source>
        <translation>Port &apos;%1&apos; ist keine Zahl zwischen 1 und 65535</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>&apos;%1&apos; is not followed by &apos;=&apos;</source>
        <translation>auf &apos;%1&apos; folgt kein &apos;=&apos;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a value has no key before its &apos;=&apos;</source>
        <translation>ein Wert hat keinen Schlüssel vor seinem &apos;=&apos;</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the quoted value of &apos;%1&apos; has no closing quote</source>
        <translation>dem Wert von &apos;%1&apos; in Anführungszeichen fehlt das schließende Anführungszeichen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>it is empty</source>
        <translation>sie ist leer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>it is neither a postgres:// URL nor key=value pairs</source>
        <translation>sie ist weder eine postgres://-URL noch Schlüssel=Wert-Paare</translation>
    </message>
</context>
<context>
    <name>PostgresDialect</name>
    <message>
        <location filename="../core/eventstore/postgresdialect.cpp" line="+251"/>
        <source>appending to stream &apos;%1&apos;</source>
        <translation>beim Anhängen an den Stream &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>reading the result of an append</source>
        <translation>beim Lesen des Ergebnisses eines Anhängevorgangs</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Event %1 is already stored in stream &apos;%2&apos; at version %3, and this append is not an exact repeat of that one. Event ids are unique: give new events new ids.</source>
        <translation>Das Ereignis %1 ist bereits im Stream &apos;%2&apos; bei Version %3 gespeichert, und dieser Anhängevorgang ist keine exakte Wiederholung davon. Ereignis-IDs sind eindeutig: geben Sie neuen Ereignissen neue IDs.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The PostgreSQL connection string is not valid: it names no database. Add dbname=… (or /database to a postgres:// URL).</source>
        <translation>Die PostgreSQL-Verbindungszeichenkette ist ungültig: sie nennt keine Datenbank. Ergänzen Sie dbname=… (oder /datenbank bei einer postgres://-URL).</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Could not ask the PostgreSQL server for its version: %1</source>
        <translation>Der PostgreSQL-Server konnte nicht nach seiner Version gefragt werden: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The PostgreSQL server is version %1; EventScope needs PostgreSQL 13 or newer (for xid8 transaction ids).</source>
        <translation>Der PostgreSQL-Server hat Version %1; EventScope braucht PostgreSQL 13 oder neuer (für xid8-Transaktions-IDs).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Could not set up the PostgreSQL connection (%1): %2</source>
        <translation>Die PostgreSQL-Verbindung konnte nicht eingerichtet werden (%1): %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not inspect the PostgreSQL database: %1</source>
        <translation>Die PostgreSQL-Datenbank konnte nicht untersucht werden: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PostgreSQL schema &apos;%1&apos; holds %2 tables but is not an EventScope store. Nothing was changed. Choose another schema (eventstore.options.schema) or database.</source>
        <translation>Das PostgreSQL-Schema &apos;%1&apos; enthält %2 Tabellen, ist aber kein EventScope-Speicher. Es wurde nichts geändert. Wählen Sie ein anderes Schema (eventstore.options.schema) oder eine andere Datenbank.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The EventScope schema table in &apos;%1&apos; cannot be read: %2</source>
        <translation>Die EventScope-Schematabelle in &apos;%1&apos; kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>checking the events&apos; transaction ids</source>
        <translation>beim Prüfen der Transaktionskennungen der Ereignisse</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This store was restored from another PostgreSQL server: the transaction ids of %1 events are ahead of this server&apos;s, so nothing that reads all events in commit order would see them. The store needs a one-time repair, which a read-only session cannot do. Open it once without read-only (in EventScope with &quot;Open read-only&quot; cleared, as support or developer), then read-only again.</source>
        <translation>Dieser Speicher wurde von einem anderen PostgreSQL-Server wiederhergestellt: Die Transaktionskennungen von %1 Ereignissen liegen vor denen dieses Servers, daher sähe nichts, was alle Ereignisse in Commit-Reihenfolge liest, sie. Der Speicher braucht eine einmalige Reparatur, die eine schreibgeschützte Sitzung nicht ausführen kann. Öffnen Sie ihn einmal ohne Schreibschutz (in EventScope mit abgewähltem „Schreibgeschützt öffnen“, als Support oder Entwickler), danach wieder schreibgeschützt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Could not start repairing the events&apos; transaction ids: %1</source>
        <translation>Die Reparatur der Transaktionskennungen der Ereignisse konnte nicht beginnen: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>waiting for other sessions opening the store</source>
        <translation>beim Warten auf andere Sitzungen, die den Speicher öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>repairing the transaction ids of events restored from another server</source>
        <translation>beim Reparieren der Transaktionskennungen von Ereignissen, die von einem anderen Server wiederhergestellt wurden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>committing the repaired transaction ids</source>
        <translation>beim Festschreiben der reparierten Transaktionskennungen</translation>
    </message>
</context>
<context>
    <name>ProjectionBatch</name>
    <message>
        <location filename="../core/projections/projectionbatch.cpp" line="+81"/>
        <source>A read-model statement is not valid: %1 (%2)</source>
        <translation>Eine Anweisung des Lesemodells ist ungültig: %1 (%2)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Writing the read model failed: %1 (%2)</source>
        <translation>Das Schreiben des Lesemodells ist fehlgeschlagen: %1 (%2)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>execRows() got %1 values for rows of %2 placeholders.</source>
        <translation>execRows() erhielt %1 Werte für Zeilen mit %2 Platzhaltern.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>The payload of event %1 is not a JSON object: %2</source>
        <translation>Die Nutzdaten des Ereignisses %1 sind kein JSON-Objekt: %2</translation>
    </message>
</context>
<context>
    <name>ProjectionBenchmark</name>
    <message>
        <location filename="../core/bench/projectionbenchmark.cpp" line="+90"/>
        <source>The projection benchmark could not %1: %2</source>
        <translation>Der Projektions-Benchmark konnte nicht %1: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The projection benchmark could not register the account events: %1</source>
        <translation>Der Projektions-Benchmark konnte die Kontoereignisse nicht registrieren: %1</translation>
    </message>
    <message>
        <location line="+149"/>
        <source>read %1 to check it</source>
        <translation>%1 zur Prüfung lesen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 has an unexpected row for account &apos;%2&apos;</source>
        <translation>%1 hat eine unerwartete Zeile für das Konto &apos;%2&apos;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>account %1 has balance %2 and %3 transactions in %4; the seeder wrote balance %5 and %6</source>
        <translation>Konto %1 hat Saldo %2 und %3 Buchungen in %4; der Seeder schrieb Saldo %5 und %6</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>account %1 is missing from %2</source>
        <translation>Konto %1 fehlt in %2</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>create the baseline table</source>
        <translation>die Basistabelle anlegen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>prepare the baseline&apos;s AccountOpened upsert</source>
        <translation>den AccountOpened-Upsert der Basis vorbereiten</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>prepare the baseline&apos;s money upsert</source>
        <translation>den Geld-Upsert der Basis vorbereiten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>prepare the baseline&apos;s checkpoint update</source>
        <translation>die Checkpoint-Aktualisierung der Basis vorbereiten</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The baseline could not begin a transaction: %1</source>
        <translation>Die Basis konnte keine Transaktion beginnen: %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>apply an event in the baseline</source>
        <translation>ein Ereignis in der Basis anwenden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>write the baseline&apos;s checkpoint</source>
        <translation>den Checkpoint der Basis schreiben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The baseline could not commit a batch: %1</source>
        <translation>Die Basis konnte einen Stapel nicht festschreiben: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The account balances projection faulted during the %1 on event %2 (%3): %4</source>
        <translation>Die Projektion der Kontensalden ist während %1 bei Ereignis %2 (%3) fehlgeschlagen: %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The account balances projection did not finish the %1 in time (state %2, checkpoint %3 of %4%5).</source>
        <translation>Die Projektion der Kontensalden hat %1 nicht rechtzeitig beendet (Zustand %2, Checkpoint %3 von %4%5).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>; last error: %1</source>
        <translation>; letzter Fehler: %1</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>The projection benchmark needs at least 1 event, 1 account and an append batch of at least 1.</source>
        <translation>Der Projektions-Benchmark braucht mindestens 1 Ereignis, 1 Konto und einen Anhängestapel von mindestens 1.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>SQLite in a temporary file, WAL; the baseline uses the store&apos;s connection.</source>
        <translation>SQLite in einer temporären Datei, WAL; die Basis verwendet die Verbindung des Speichers.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PostgreSQL in a new schema %1, dropped afterwards; the baseline uses the store&apos;s connection.</source>
        <translation>PostgreSQL in einem neuen Schema %1, das danach gelöscht wird; die Basis verwendet die Verbindung des Speichers.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>seeding %1 events over %2 accounts in appends of %3 (not measured)</source>
        <translation>Befüllung mit %1 Ereignissen über %2 Konten in Anhängevorgängen zu %3 (nicht gemessen)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Seeding %1 events took %2 s (%3 events/s).</source>
        <translation>Die Befüllung mit %1 Ereignissen dauerte %2 s (%3 Ereignisse/s).</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The account balances projection was refused: %1</source>
        <translation>Die Projektion der Kontensalden wurde abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>catch-up: the projection applies $all from the start</source>
        <translation>Aufholen: die Projektion wendet $all von Anfang an an</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>catch-up</source>
        <translation>Aufholen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>catch-up: the projection met a failure and tried again (%1); its figure includes the retry.</source>
        <translation>Aufholen: die Projektion hatte einen Fehler und versuchte es erneut (%1); ihr Wert enthält die Wiederholung.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after catch-up</source>
        <translation>nach dem Aufholen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>rebuild: the projection builds its read model again into shadow tables</source>
        <translation>Neuaufbau: die Projektion baut ihr Lesemodell erneut in Schattentabellen auf</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The rebuild was refused: %1</source>
        <translation>Der Neuaufbau wurde abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>rebuild</source>
        <translation>Neuaufbau</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rebuild: the projection met a failure and tried again (%1); its figure includes the retry.</source>
        <translation>Neuaufbau: die Projektion hatte einen Fehler und versuchte es erneut (%1); ihr Wert enthält die Wiederholung.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>after rebuild</source>
        <translation>nach dem Neuaufbau</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>baseline: readAll, QJsonDocument and one plain upsert per event</source>
        <translation>Basis: readAll, QJsonDocument und ein einfacher Upsert pro Ereignis</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The baseline applied %1 events instead of %2.</source>
        <translation>Die Basis hat %1 Ereignisse statt %2 angewendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>baseline</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The benchmark lost its own database connection %1 times (seeding, checks or baseline) and repeated the step; a repeated baseline is timed from its last start.</source>
        <translation>Der Benchmark hat seine eigene Datenbankverbindung %1-mal verloren (Befüllung, Prüfungen oder Basis) und den Schritt wiederholt; eine wiederholte Basis wird ab ihrem letzten Start gemessen.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 events over %2 accounts, seeded in appends of %3 events round-robin over the accounts; projection batches of %4 events touch %5 distinct accounts on average. The projection coalesces: it wrote %6 rows (one per account and batch), the baseline one upsert per event.</source>
        <translation>%1 Ereignisse über %2 Konten, befüllt in Anhängevorgängen zu %3 Ereignissen reihum über die Konten; Projektionsstapel von %4 Ereignissen betreffen im Mittel %5 verschiedene Konten. Die Projektion fasst zusammen: sie schrieb %6 Zeilen (eine pro Konto und Stapel), die Basis einen Upsert pro Ereignis.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>catch-up: from ProjectionManager::start() until waitForCheckpoint(head); rebuild: from rebuild() until rebuildFinished (shadow tables filled and swapped in).</source>
        <translation>Aufholen: von ProjectionManager::start() bis waitForCheckpoint(head); Neuaufbau: von rebuild() bis rebuildFinished (Schattentabellen gefüllt und eingetauscht).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>SQLite rebuild ≥ %1 events/s</source>
        <translation>SQLite-Neuaufbau ≥ %1 Ereignisse/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SQLite rebuild ≥ %1 % of the baseline</source>
        <translation>SQLite-Neuaufbau ≥ %1 % der Basis</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PostgreSQL rebuild ≥ %1 events/s</source>
        <translation>PostgreSQL-Neuaufbau ≥ %1 Ereignisse/s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>target: %1 – %2</source>
        <translation>Ziel: %1 – %2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>met</source>
        <translation>erfüllt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NOT met</source>
        <translation>NICHT erfüllt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>check: every one of the %1 accounts has the seeder&apos;s balance and transaction count in %2 (after catch-up and after rebuild) and in the baseline table.</source>
        <translation>Prüfung: jedes der %1 Konten hat den Saldo und die Buchungsanzahl des Seeders in %2 (nach dem Aufholen und nach dem Neuaufbau) und in der Basistabelle.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>check FAILED: %1</source>
        <translation>Prüfung FEHLGESCHLAGEN: %1</translation>
    </message>
</context>
<context>
    <name>ProjectionHealthCheck</name>
    <message>
        <location filename="../core/monitoring/projectionhealthcheck.cpp" line="+25"/>
        <source>No projections are registered.</source>
        <translation>Es sind keine Projektionen registriert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&apos;%1&apos; is faulted at position %2 (%3 in %4): %5 — retry or skip the event</source>
        <translation>&apos;%1&apos; ist an Position %2 fehlgeschlagen (%3 in %4): %5 — wiederholen oder überspringen Sie das Ereignis</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&apos;%1&apos; lags %2 events behind (limit %3)</source>
        <translation>&apos;%1&apos; liegt %2 Ereignisse zurück (Grenze %3)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&apos;%1&apos; lags %2 events behind (warning from %3)</source>
        <translation>&apos;%1&apos; liegt %2 Ereignisse zurück (Warnung ab %3)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&apos;%1&apos; is paused by an operator</source>
        <translation>&apos;%1&apos; ist von einem Operator pausiert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; is not running</source>
        <translation>&apos;%1&apos; läuft nicht</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n projection(s) running, lagging at most %1 events.</source>
        <translation>
            <numerusform>%n Projektion läuft, höchstens %1 Ereignisse zurück.</numerusform>
            <numerusform>%n Projektionen laufen, höchstens %1 Ereignisse zurück.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProjectionManager</name>
    <message>
        <location filename="../core/projections/projectionmanager.cpp" line="-40"/>
        <source>There is no projection named %1. Check the name (see the projections list).</source>
        <translation>Es gibt keine Projektion namens %1. Prüfen Sie den Namen (siehe die Liste der Projektionen).</translation>
    </message>
</context>
<context>
    <name>ProjectionRunner</name>
    <message>
        <location filename="../core/projections/projectionrunner.cpp" line="+42"/>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>The projection %1 was stopped before the request was carried out. Start the projections and try again.</source>
        <translation>Die Projektion %1 wurde gestoppt, bevor die Anfrage ausgeführt wurde. Starten Sie die Projektionen und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>The role %1 may not %2 projections. %3</source>
        <translation>Die Rolle %1 darf Folgendes bei Projektionen nicht: %2. %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask someone with the support or developer role.</source>
        <translation>Fragen Sie jemanden mit der Rolle Support oder Entwickler.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ask a developer.</source>
        <translation>Fragen Sie einen Entwickler.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Say who you are: the operator audit log records an actor for every action on a projection.</source>
        <translation>Sagen Sie, wer Sie sind: das Operator-Audit-Protokoll hält für jede Aktion an einer Projektion einen Akteur fest.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give a reason to %1 the projection %2; it is recorded in the operator audit log.</source>
        <translation>Geben Sie einen Grund für „%1“ an der Projektion %2 an; er wird im Operator-Audit-Protokoll festgehalten.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The projections are not running in this EventScope. Start them, then try again.</source>
        <translation>Die Projektionen laufen in diesem EventScope nicht. Starten Sie sie und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The store is open read-only: projections are not run. Open it for writing to run them; their read models stay as they are.</source>
        <translation>Der Speicher ist schreibgeschützt geöffnet: Projektionen laufen nicht. Öffnen Sie ihn zum Schreiben, um sie auszuführen; ihre Lesemodelle bleiben, wie sie sind.</translation>
    </message>
    <message>
        <location line="+184"/>
        <source>version %1 → %2</source>
        <translation>Version %1 → %2</translation>
    </message>
    <message>
        <location line="+189"/>
        <location line="+373"/>
        <source>Could not begin a transaction: %1</source>
        <translation>Es konnte keine Transaktion begonnen werden: %1</translation>
    </message>
    <message>
        <location line="-346"/>
        <source>The projection threw: %1</source>
        <translation>Die Projektion hat eine Ausnahme ausgelöst: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The projection threw an exception that is not a std::exception.</source>
        <translation>Die Projektion hat eine Ausnahme ausgelöst, die keine std::exception ist.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Could not commit the batch: %1</source>
        <translation>Der Stapel konnte nicht festgeschrieben werden: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The rebuild of %1 was changed by another process.</source>
        <translation>Der Neuaufbau von %1 wurde von einem anderen Prozess geändert.</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>The projection %1 runs in another EventScope instance (%2). Do this there, or stop that instance.</source>
        <translation>Die Projektion %1 läuft in einer anderen EventScope-Instanz (%2). Tun Sie dies dort oder stoppen Sie diese Instanz.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The projection %1 is not faulted; there is no event to %2.</source>
        <translation>Die Projektion %1 ist nicht fehlgeschlagen; es gibt kein Ereignis für „%2“.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The projection %1 is not being rebuilt.</source>
        <translation>Die Projektion %1 wird nicht neu aufgebaut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The projection %1 is paused already.</source>
        <translation>Die Projektion %1 ist bereits pausiert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The projection %1 is not paused.</source>
        <translation>Die Projektion %1 ist nicht pausiert.</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>The checkpoint of %1 moved meanwhile; look at the projection again.</source>
        <translation>Der Checkpoint von %1 hat sich inzwischen verschoben; sehen Sie sich die Projektion erneut an.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Could not %1 the projection %2: %3</source>
        <translation>Aktion „%1“ für die Projektion %2 fehlgeschlagen: %3</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Could not commit: %1</source>
        <translation>Festschreiben nicht möglich: %1</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>The read model is at version %1 and this EventScope applies version %2: it stays paused as it is until you resume it, which rebuilds it.</source>
        <translation>Das Lesemodell ist bei Version %1 und dieses EventScope wendet Version %2 an: es bleibt unverändert pausiert, bis Sie es fortsetzen, was es neu aufbaut.</translation>
    </message>
</context>
<context>
    <name>ReadModelQuery</name>
    <message>
        <location filename="../core/engine/readmodelquery.cpp" line="+38"/>
        <source>%1 needs &quot;%2&quot;.</source>
        <translation>%1 braucht „%2“.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&quot;%1&quot; of %2 must be a string.</source>
        <translation>„%1“ von %2 muss eine Zeichenkette sein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; of %2 must not be empty.</source>
        <translation>„%1“ von %2 darf nicht leer sein.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&quot;%1&quot; of %2 must be a whole number from %3 to %4.</source>
        <translation>„%1“ von %2 muss eine ganze Zahl von %3 bis %4 sein.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&quot;%1&quot; of %2 must be true or false.</source>
        <translation>„%1“ von %2 muss true oder false sein.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&quot;%1&quot; of %2 must be a day like 2026-03-01, not &quot;%3&quot;.</source>
        <translation>„%1“ von %2 muss ein Tag wie 2026-03-01 sein, nicht „%3“.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; of %2 must be one of %3, not &quot;%4&quot;.</source>
        <translation>„%1“ von %2 muss eines von %3 sein, nicht „%4“.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 does not know the parameter(s) %2.</source>
        <translation>%1 kennt den/die Parameter %2 nicht.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pass %1</source>
        <translation>Übergeben Sie %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The %1 read model cannot be read: %2. If it was never built, start the projections and let it catch up; else check the connection to the event store.</source>
        <translation>Das Lesemodell %1 kann nicht gelesen werden: %2. Wurde es nie aufgebaut, starten Sie die Projektionen und lassen Sie es aufholen; andernfalls prüfen Sie die Verbindung zum Event-Store.</translation>
    </message>
</context>
<context>
    <name>Repository</name>
    <message>
        <location filename="../core/domain/repository.cpp" line="+42"/>
        <source>Cannot load &apos;%1&apos; as of version %2: versions start at 0.</source>
        <translation>&apos;%1&apos; kann nicht mit Stand Version %2 geladen werden: Versionen beginnen bei 0.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Snapshot of &apos;%1&apos; at version %2 ignored: it has snapshot schema version %3, the aggregate uses %4. It will be replaced by the next snapshot.</source>
        <translation>Momentaufnahme von &apos;%1&apos; bei Version %2 ignoriert: sie hat Snapshot-Schemaversion %3, das Aggregat verwendet %4. Sie wird durch die nächste Momentaufnahme ersetzt.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Snapshot of &apos;%1&apos; at version %2 ignored: its state was rejected by the aggregate. Run verify to compare it with the events.</source>
        <translation>Momentaufnahme von &apos;%1&apos; bei Version %2 ignoriert: ihr Zustand wurde vom Aggregat abgelehnt. Führen Sie eine Prüfung aus, um sie mit den Ereignissen zu vergleichen.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Stream &apos;%1&apos; skips from version %2 to %3; it cannot be replayed.</source>
        <translation>Der Stream &apos;%1&apos; springt von Version %2 auf %3; er kann nicht abgespielt werden.</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>The snapshot of &apos;%1&apos; is at version %2, but the stream ends at version %3. The snapshot does not belong to these events; delete it.</source>
        <translation>Die Momentaufnahme von &apos;%1&apos; ist bei Version %2, aber der Stream endet bei Version %3. Die Momentaufnahme gehört nicht zu diesen Ereignissen; löschen Sie sie.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The snapshot has schema version %1, the aggregate uses %2; load() ignores it.</source>
        <translation>Die Momentaufnahme hat Schemaversion %1, das Aggregat verwendet %2; load() ignoriert sie.</translation>
    </message>
</context>
<context>
    <name>ResilienceHealthCheck</name>
    <message>
        <location filename="../core/monitoring/resiliencehealthcheck.cpp" line="+16"/>
        <source>No circuit breakers are configured.</source>
        <translation>Es sind keine Circuit Breaker konfiguriert.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> since %1</source>
        <translation> seit %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>circuit breaker &apos;%1&apos; is half-open%2 (trying calls again)</source>
        <translation>Circuit Breaker &apos;%1&apos; ist halb offen%2 (versucht Aufrufe erneut)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>circuit breaker &apos;%1&apos; is open%2: calls are refused until the dependency recovers</source>
        <translation>Circuit Breaker &apos;%1&apos; ist offen%2: Aufrufe werden abgewiesen, bis sich die Abhängigkeit erholt</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>All %n circuit breaker(s) closed.</source>
        <translation>
            <numerusform>Der %n Circuit Breaker ist geschlossen.</numerusform>
            <numerusform>Alle %n Circuit Breaker sind geschlossen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../core/cqrs/role.cpp" line="+25"/>
        <source>Auditor</source>
        <translation>Prüfer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Support</source>
        <translation>Support</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Developer</source>
        <translation>Entwickler</translation>
    </message>
</context>
<context>
    <name>ScratchStore</name>
    <message>
        <location filename="../core/bench/scratchstore.cpp" line="+125"/>
        <source>Could not create a temporary directory for the benchmark stores (%1). Set TMPDIR to a writable directory with a few GiB free.</source>
        <translation>Für die Benchmark-Speicher konnte kein temporäres Verzeichnis angelegt werden (%1). Setzen Sie TMPDIR auf ein beschreibbares Verzeichnis mit einigen GiB frei.</translation>
    </message>
</context>
<context>
    <name>SnapshotStore</name>
    <message>
        <location filename="../core/domain/snapshotstore.cpp" line="+23"/>
        <source>%1 failed: %2. Check that the database is reachable and the store is up to date.</source>
        <translation>%1 fehlgeschlagen: %2. Prüfen Sie, ob die Datenbank erreichbar und der Speicher aktuell ist.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Saving the snapshot of &apos;%1&apos; at version %2</source>
        <translation>Speichern der Momentaufnahme von &apos;%1&apos; bei Version %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reading the latest snapshot of &apos;%1&apos;</source>
        <translation>Lesen der neuesten Momentaufnahme von &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Listing the snapshots of &apos;%1&apos;</source>
        <translation>Auflisten der Momentaufnahmen von &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot keep %1 snapshots: the number must be 0 or more.</source>
        <translation>%1 Momentaufnahmen können nicht behalten werden: die Anzahl muss 0 oder mehr sein.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Removing old snapshots of &apos;%1&apos;</source>
        <translation>Entfernen alter Momentaufnahmen von &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>SnapshotVerifier</name>
    <message>
        <location filename="../core/timetravel/snapshotverifier.cpp" line="+82"/>
        <source>The snapshot of &apos;%1&apos; has no version (%2), so there are no events to compare it with. Delete it.</source>
        <translation>Die Momentaufnahme von &apos;%1&apos; hat keine Version (%2), daher gibt es keine Ereignisse zum Vergleich. Löschen Sie sie.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No registered domain knows the stream &apos;%1&apos;, so its events can only be folded as a generic JSON merge of their payloads, which is not the state an aggregate writes into a snapshot. Register the %2 aggregate&apos;s module to verify this snapshot.</source>
        <translation>Keine registrierte Domäne kennt den Stream &apos;%1&apos;, daher können seine Ereignisse nur als generisches JSON-Zusammenführen ihrer Nutzdaten gefaltet werden, was nicht der Zustand ist, den ein Aggregat in eine Momentaufnahme schreibt. Registrieren Sie das Modul des Aggregats %2, um diese Momentaufnahme zu prüfen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>snapshot&apos;s</source>
        <translation>der Momentaufnahme</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The aggregate factory made no aggregate for stream &apos;%1&apos;. Check the domain&apos;s registration.</source>
        <translation>Die Aggregat-Factory hat für den Stream &apos;%1&apos; kein Aggregat erzeugt. Prüfen Sie die Registrierung der Domäne.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reading the events of &apos;%1&apos; from version %2 failed: %3</source>
        <translation>Das Lesen der Ereignisse von &apos;%1&apos; ab Version %2 ist fehlgeschlagen: %3</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The stream &apos;%1&apos; has no events, but the snapshot is at version %2: it does not belong to this store&apos;s events. Delete the snapshot.</source>
        <translation>Der Stream &apos;%1&apos; hat keine Ereignisse, aber die Momentaufnahme ist bei Version %2: sie gehört nicht zu den Ereignissen dieses Speichers. Löschen Sie die Momentaufnahme.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The stream &apos;%1&apos; ends at version %2, but the snapshot is at version %3: events are missing, or the snapshot does not belong to these events. Delete the snapshot, or restore the missing events.</source>
        <translation>Der Stream &apos;%1&apos; endet bei Version %2, aber die Momentaufnahme ist bei Version %3: Ereignisse fehlen oder die Momentaufnahme gehört nicht zu diesen Ereignissen. Löschen Sie die Momentaufnahme oder stellen Sie die fehlenden Ereignisse wieder her.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The events of &apos;%1&apos; cannot be replayed up to version %2: %3</source>
        <translation>Die Ereignisse von &apos;%1&apos; können nicht bis Version %2 abgespielt werden: %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The snapshot names the aggregate type &apos;%1&apos;, but stream &apos;%2&apos; holds a %3 aggregate.</source>
        <translation>Die Momentaufnahme nennt den Aggregattyp &apos;%1&apos;, aber der Stream &apos;%2&apos; enthält ein %3-Aggregat.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The snapshot has schema version %1, but the %2 aggregate now writes version %3: it is stale, not corrupt. Loading skips it and replays the events instead; the next snapshot replaces it.</source>
        <translation>Die Momentaufnahme hat Schemaversion %1, aber das Aggregat %2 schreibt jetzt Version %3: sie ist veraltet, nicht beschädigt. Das Laden überspringt sie und spielt stattdessen die Ereignisse ab; die nächste Momentaufnahme ersetzt sie.</translation>
    </message>
</context>
<context>
    <name>SqlDialect</name>
    <message>
        <location filename="../core/eventstore/sqldialect.cpp" line="+129"/>
        <source>The store failed while %1: %2</source>
        <translation>Der Speicher ist fehlgeschlagen %1: %2</translation>
    </message>
</context>
<context>
    <name>SqliteDialect</name>
    <message>
        <location filename="../core/eventstore/sqlitedialect.cpp" line="+17"/>
        <source>No SQLite store file was given. Set eventstore.connection to a file path (or :memory:).</source>
        <translation>Es wurde keine SQLite-Speicherdatei angegeben. Setzen Sie eventstore.connection auf einen Dateipfad (oder :memory:).</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Could not set up the SQLite connection (%1): %2</source>
        <translation>Die SQLite-Verbindung konnte nicht eingerichtet werden (%1): %2</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&apos;%1&apos; is an SQLite database but not an EventScope store: it holds other tables (%2). Nothing was changed. Open an EventScope store, or give a new file name to create one.</source>
        <translation>&apos;%1&apos; ist eine SQLite-Datenbank, aber kein EventScope-Speicher: sie enthält andere Tabellen (%2). Es wurde nichts geändert. Öffnen Sie einen EventScope-Speicher oder geben Sie einen neuen Dateinamen an, um einen anzulegen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&apos;%1&apos; has a damaged EventScope schema table: %2</source>
        <translation>&apos;%1&apos; hat eine beschädigte EventScope-Schematabelle: %2</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Could not switch &apos;%1&apos; to write-ahead logging: %2</source>
        <translation>&apos;%1&apos; konnte nicht auf Write-Ahead-Logging umgestellt werden: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; cannot use write-ahead logging (journal mode stays &apos;%2&apos;); is it on a network file system?</source>
        <translation>&apos;%1&apos; kann kein Write-Ahead-Logging verwenden (Journalmodus bleibt &apos;%2&apos;); liegt die Datei auf einem Netzwerkdateisystem?</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>starting a write transaction</source>
        <translation>beim Starten einer Schreibtransaktion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another program may be writing to the store; try again.</source>
        <translation>Ein anderes Programm schreibt möglicherweise in den Speicher; versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>rolling back</source>
        <translation>beim Zurückrollen</translation>
    </message>
    <message>
        <location line="+51"/>
        <location line="+14"/>
        <source>checking for a repeated append</source>
        <translation>beim Prüfen auf einen wiederholten Anhängevorgang</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Event %1 is already stored in stream &apos;%2&apos; at version %3, and this append is not an exact repeat of that one. Event ids are unique: give new events new ids.</source>
        <translation>Das Ereignis %1 ist bereits im Stream &apos;%2&apos; bei Version %3 gespeichert, und dieser Anhängevorgang ist keine exakte Wiederholung davon. Ereignis-IDs sind eindeutig: geben Sie neuen Ereignissen neue IDs.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>reading the version of stream &apos;%1&apos;</source>
        <translation>beim Lesen der Version des Streams &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>appending to stream &apos;%1&apos;</source>
        <translation>beim Anhängen an den Stream &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>updating stream &apos;%1&apos;</source>
        <translation>beim Aktualisieren des Streams &apos;%1&apos;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>committing the append to &apos;%1&apos;</source>
        <translation>beim Festschreiben des Anhängevorgangs an &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>StoreAccessHealthCheck</name>
    <message>
        <location filename="../core/monitoring/storeaccesshealthcheck.cpp" line="+20"/>
        <source>The event store has been closed; restart the server.</source>
        <translation>Der Event-Store wurde geschlossen; starten Sie den Server neu.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reading the event store as the domain does failed: %1</source>
        <translation>Das Lesen des Event-Stores wie durch die Domäne ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The domain reads the event store (head position %1).</source>
        <translation>Die Domäne liest den Event-Store (Kopfposition %1).</translation>
    </message>
</context>
<context>
    <name>StoreBenchmark</name>
    <message>
        <location filename="../core/bench/storebenchmark.cpp" line="+66"/>
        <location line="+362"/>
        <source>The benchmark could not %1: %2</source>
        <translation>Der Benchmark konnte nicht %1: %2</translation>
    </message>
    <message>
        <location line="-250"/>
        <source>read the store&apos;s schema</source>
        <translation>das Schema des Speichers lesen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The store has no es_events table in sqlite_master; the benchmark needs the store&apos;s schema.</source>
        <translation>Der Speicher hat keine Tabelle es_events in sqlite_master; der Benchmark braucht das Schema des Speichers.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>create the raw baseline table</source>
        <translation>die Basis-Rohtabelle anlegen</translation>
    </message>
    <message>
        <location line="+176"/>
        <source>Every benchmark size must be at least 1.</source>
        <translation>Jede Benchmark-Größe muss mindestens 1 sein.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>SQLite in a temporary file, WAL, synchronous=%1; the baselines use the store&apos;s own connection and a copy of the es_events DDL.</source>
        <translation>SQLite in einer temporären Datei, WAL, synchronous=%1; die Basen verwenden die eigene Verbindung des Speichers und eine Kopie der es_events-DDL.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PostgreSQL: each case in a new schema es_bench_%1_&lt;case&gt;, dropped afterwards; the baselines use the store&apos;s connection and CREATE TABLE … (LIKE es_events INCLUDING ALL).</source>
        <translation>PostgreSQL: jeder Fall in einem neuen Schema es_bench_%1_&lt;case&gt;, das danach gelöscht wird; die Basen verwenden die Verbindung des Speichers und CREATE TABLE … (LIKE es_events INCLUDING ALL).</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>a: %1 single-event appends to new streams, then the same rows one per transaction</source>
        <translation>a: %1 Anhängevorgänge mit je einem Ereignis an neue Streams, dann dieselben Zeilen je eine pro Transaktion</translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+77"/>
        <location line="+3"/>
        <source>prepare the raw insert</source>
        <translation>die Roh-Einfügung vorbereiten</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+82"/>
        <source>begin a raw transaction</source>
        <translation>eine Roh-Transaktion beginnen</translation>
    </message>
    <message>
        <location line="-79"/>
        <source>insert a raw row</source>
        <translation>eine Rohzeile einfügen</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+89"/>
        <source>commit a raw transaction</source>
        <translation>eine Roh-Transaktion festschreiben</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>b: %1 events in appends of %2, then the same rows %2 per transaction</source>
        <translation>b: %1 Ereignisse in Anhängevorgängen zu %2, dann dieselben Zeilen %2 pro Transaktion</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>insert raw rows</source>
        <translation>Rohzeilen einfügen</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>c: %1 writers × %2 appends of %3 events, on their own streams and then on one stream</source>
        <translation>c: %1 Schreiber × %2 Anhängevorgänge zu %3 Ereignissen, auf eigenen Streams und dann auf einem Stream</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>The shared stream of case c holds %1 events instead of %2: the store lost or duplicated appends.</source>
        <translation>Der gemeinsame Stream von Fall c enthält %1 statt %2 Ereignisse: der Speicher hat Anhängevorgänge verloren oder verdoppelt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>c: %1 writers on one stream met %2 WrongExpectedVersion conflicts for %3 successful appends and retried each with the reported version.</source>
        <translation>c: %1 Schreiber auf einem Stream hatten %2 WrongExpectedVersion-Konflikte bei %3 erfolgreichen Anhängevorgängen und wiederholten jeden mit der gemeldeten Version.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>d: reading a %1-event stream %2 times in pages of %3, then scanning it with plain SQL</source>
        <translation>d: einen Stream mit %1 Ereignissen %2-mal in Seiten zu %3 lesen, dann mit einfachem SQL durchlaufen</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>prepare the raw stream scan</source>
        <translation>den Roh-Streamdurchlauf vorbereiten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>scan the stream</source>
        <translation>den Stream durchlaufen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Case d read %1 events through the store and %2 with plain SQL, expected %3 each.</source>
        <translation>Fall d las %1 Ereignisse über den Speicher und %2 mit einfachem SQL, erwartet waren jeweils %3.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>e: seeding %1 events in appends of %2 (not measured)</source>
        <translation>e: Befüllung mit %1 Ereignissen in Anhängevorgängen zu %2 (nicht gemessen)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e: seeding %1 events took %2 s (%3 events/s).</source>
        <translation>e: die Befüllung mit %1 Ereignissen dauerte %2 s (%3 Ereignisse/s).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>e: catching up over $all with readAll in batches of %1</source>
        <translation>e: Aufholen über $all mit readAll in Stapeln zu %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>e: catching up over $all with an AllSubscription</source>
        <translation>e: Aufholen über $all mit einer AllSubscription</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The subscription failed: %1</source>
        <translation>Das Abonnement ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The subscription delivered %1 of %2 events within %3 s.</source>
        <translation>Das Abonnement hat %1 von %2 Ereignissen innerhalb von %3 s geliefert.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>e: scanning $all with plain SQL</source>
        <translation>e: $all mit einfachem SQL durchlaufen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>prepare the raw $all scan</source>
        <translation>den Roh-Durchlauf von $all vorbereiten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>scan $all</source>
        <translation>$all durchlaufen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Case e expected %1 events and got %2 from readAll, %3 from the subscription, %4 from plain SQL.</source>
        <translation>Fall e erwartete %1 Ereignisse und erhielt %2 von readAll, %3 vom Abonnement, %4 mit einfachem SQL.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>e: memory figures are the peak growth of resident memory during each catch-up; their baseline is that of the plain forward-only scan (%1 MiB).</source>
        <translation>e: die Speicherwerte sind der Spitzenzuwachs des residenten Speichers während jedes Aufholens; ihre Basis ist die des einfachen Vorwärtsdurchlaufs (%1 MiB).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e: the peak resident size could not be reset (/proc/self/clear_refs); the memory figures may hide a peak that happened before the phase.</source>
        <translation>e: die residente Spitzengröße konnte nicht zurückgesetzt werden (/proc/self/clear_refs); die Speicherwerte können eine Spitze verdecken, die vor der Phase auftrat.</translation>
    </message>
</context>
<context>
    <name>StoreDiagnosis</name>
    <message>
        <location filename="../core/eventstore/storediagnosis.cpp" line="+56"/>
        <source>the local socket</source>
        <translation>der lokale Socket</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No store in this file yet</source>
        <translation>In dieser Datei gibt es noch keinen Speicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;%1&apos; is an empty database, and a read-only session does not create a store.</source>
        <translation>&apos;%1&apos; ist eine leere Datenbank, und eine schreibgeschützte Sitzung legt keinen Speicher an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open it without read-only to create a store there, or choose another file.</source>
        <translation>Öffnen Sie sie ohne Schreibschutz, um dort einen Speicher anzulegen, oder wählen Sie eine andere Datei.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Damaged store</source>
        <translation>Beschädigter Speicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;%1&apos; is an EventScope store whose schema table cannot be read. Nothing was changed.</source>
        <translation>&apos;%1&apos; ist ein EventScope-Speicher, dessen Schematabelle nicht gelesen werden kann. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Restore the file from a backup, or export what can still be read with eventscope-cli export.</source>
        <translation>Stellen Sie die Datei aus einer Sicherung wieder her, oder exportieren Sie mit eventscope-cli export, was noch lesbar ist.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+5"/>
        <location line="+52"/>
        <source>Not an EventScope store</source>
        <translation>Kein EventScope-Speicher</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>&apos;%1&apos; is not an SQLite database, so it cannot be an EventScope store. Nothing was changed.</source>
        <translation>&apos;%1&apos; ist keine SQLite-Datenbank und kann daher kein EventScope-Speicher sein. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+5"/>
        <source>Choose another file, or use New… to create a new store.</source>
        <translation>Wählen Sie eine andere Datei oder verwenden Sie „Neu…“, um einen neuen Speicher anzulegen.</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>&apos;%1&apos; is an SQLite database of another application: it holds tables (%2) that are not an EventScope store. Nothing was changed.</source>
        <translation>&apos;%1&apos; ist eine SQLite-Datenbank einer anderen Anwendung: sie enthält Tabellen (%2), die kein EventScope-Speicher sind. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This is a folder</source>
        <translation>Dies ist ein Ordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;%1&apos; is a folder, not a store file.</source>
        <translation>&apos;%1&apos; ist ein Ordner, keine Speicherdatei.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a store file inside it, or give a new file name to create a store.</source>
        <translation>Wählen Sie eine Speicherdatei darin oder geben Sie einen neuen Dateinamen an, um einen Speicher anzulegen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No store file given</source>
        <translation>Keine Speicherdatei angegeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a store file, or give a new file name to create a store.</source>
        <translation>Wählen Sie eine Speicherdatei oder geben Sie einen neuen Dateinamen an, um einen Speicher anzulegen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No store at this path</source>
        <translation>Unter diesem Pfad gibt es keinen Speicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no file &apos;%1&apos;.</source>
        <translation>Es gibt keine Datei &apos;%1&apos;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the path, choose another file, or use New… to create a new store there.</source>
        <translation>Prüfen Sie den Pfad, wählen Sie eine andere Datei oder verwenden Sie „Neu…“, um dort einen neuen Speicher anzulegen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The folder does not exist</source>
        <translation>Der Ordner existiert nicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The folder &apos;%1&apos; does not exist, so no store can be created in it.</source>
        <translation>Der Ordner &apos;%1&apos; existiert nicht, daher kann darin kein Speicher angelegt werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Create the folder first, or choose another place for the store.</source>
        <translation>Legen Sie zuerst den Ordner an oder wählen Sie einen anderen Ort für den Speicher.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot open the file</source>
        <translation>Die Datei kann nicht geöffnet werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;%1&apos; exists but could not be opened.</source>
        <translation>&apos;%1&apos; existiert, konnte aber nicht geöffnet werden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check that you may read the file and its folder (and write them, unless you open it read-only), and that no other program holds the file locked.</source>
        <translation>Prüfen Sie, ob Sie die Datei und ihren Ordner lesen (und, außer beim schreibgeschützten Öffnen, schreiben) dürfen und ob kein anderes Programm die Datei gesperrt hält.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Connection settings not valid</source>
        <translation>Verbindungseinstellungen ungültig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct the connection settings and try again.</source>
        <translation>Korrigieren Sie die Verbindungseinstellungen und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No store here yet</source>
        <translation>Hier gibt es noch keinen Speicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The schema &apos;%1&apos; of database &apos;%2&apos; holds no EventScope store, and a read-only session does not create one.</source>
        <translation>Das Schema &apos;%1&apos; der Datenbank &apos;%2&apos; enthält keinen EventScope-Speicher, und eine schreibgeschützte Sitzung legt keinen an.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open it without read-only to create a store, or choose the schema or database that holds your store.</source>
        <translation>Öffnen Sie es ohne Schreibschutz, um einen Speicher anzulegen, oder wählen Sie das Schema oder die Datenbank mit Ihrem Speicher.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The schema &apos;%1&apos; of database &apos;%2&apos; holds tables of another application. Nothing was changed.</source>
        <translation>Das Schema &apos;%1&apos; der Datenbank &apos;%2&apos; enthält Tabellen einer anderen Anwendung. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose another schema (EventScope creates its own when it is missing) or another database.</source>
        <translation>Wählen Sie ein anderes Schema (EventScope legt sein eigenes an, wenn es fehlt) oder eine andere Datenbank.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No such database</source>
        <translation>Keine solche Datenbank</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server %1 has no database &apos;%2&apos;.</source>
        <translation>Der Server %1 hat keine Datenbank &apos;%2&apos;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the database name, or create the database (createdb %1) and connect again.</source>
        <translation>Prüfen Sie den Datenbanknamen oder legen Sie die Datenbank an (createdb %1) und verbinden Sie sich erneut.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unknown user</source>
        <translation>Unbekannter Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server %1 has no user &apos;%2&apos;.</source>
        <translation>Der Server %1 hat keinen Benutzer &apos;%2&apos;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the user name, or ask the database administrator to create that user.</source>
        <translation>Prüfen Sie den Benutzernamen oder bitten Sie den Datenbankadministrator, diesen Benutzer anzulegen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong user name or password</source>
        <translation>Falscher Benutzername oder falsches Passwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server %1 refused the password of user &apos;%2&apos;.</source>
        <translation>Der Server %1 hat das Passwort des Benutzers &apos;%2&apos; abgelehnt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-enter the password (EventScope never stores it), and check the user name.</source>
        <translation>Geben Sie das Passwort erneut ein (EventScope speichert es nie) und prüfen Sie den Benutzernamen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Password needed</source>
        <translation>Passwort erforderlich</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server %1 asks user &apos;%2&apos; for a password, and none was given.</source>
        <translation>Der Server %1 verlangt vom Benutzer &apos;%2&apos; ein Passwort, und es wurde keines angegeben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the password (EventScope never stores it), or set up a ~/.pgpass file.</source>
        <translation>Geben Sie das Passwort ein (EventScope speichert es nie) oder richten Sie eine Datei ~/.pgpass ein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server does not let this user in</source>
        <translation>Der Server lässt diesen Benutzer nicht ein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server %1 has no rule (pg_hba.conf) that lets user &apos;%2&apos; connect to database &apos;%3&apos; from this computer with this SSL mode.</source>
        <translation>Der Server %1 hat keine Regel (pg_hba.conf), die dem Benutzer &apos;%2&apos; erlaubt, sich von diesem Computer mit diesem SSL-Modus mit der Datenbank &apos;%3&apos; zu verbinden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask the database administrator to allow it, or try another SSL mode.</source>
        <translation>Bitten Sie den Datenbankadministrator, es zu erlauben, oder versuchen Sie einen anderen SSL-Modus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Secure connection failed</source>
        <translation>Sichere Verbindung fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server %1 does not offer SSL, and SSL mode &apos;%2&apos; requires it.</source>
        <translation>Der Server %1 bietet kein SSL an, und der SSL-Modus &apos;%2&apos; verlangt es.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The SSL connection to %1 failed (SSL mode &apos;%2&apos;).</source>
        <translation>Die SSL-Verbindung zu %1 ist fehlgeschlagen (SSL-Modus &apos;%2&apos;).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose another SSL mode (&quot;prefer&quot; uses SSL when the server offers it), or, for verify-ca and verify-full, install the server&apos;s CA certificate as ~/.postgresql/root.crt.</source>
        <translation>Wählen Sie einen anderen SSL-Modus („prefer“ verwendet SSL, wenn der Server es anbietet) oder installieren Sie für verify-ca und verify-full das CA-Zertifikat des Servers als ~/.postgresql/root.crt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unknown host</source>
        <translation>Unbekannter Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host name in %1 cannot be found.</source>
        <translation>Der Hostname in %1 kann nicht gefunden werden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the spelling of the host name, or give its IP address.</source>
        <translation>Prüfen Sie die Schreibweise des Hostnamens oder geben Sie seine IP-Adresse an.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot reach the server</source>
        <translation>Der Server ist nicht erreichbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No PostgreSQL server answered at %1.</source>
        <translation>Unter %1 hat kein PostgreSQL-Server geantwortet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the host and port, that the server is running, and that PostgreSQL accepts TCP connections from this computer (listen_addresses, firewall).</source>
        <translation>Prüfen Sie Host und Port, ob der Server läuft und ob PostgreSQL TCP-Verbindungen von diesem Computer annimmt (listen_addresses, Firewall).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not allowed</source>
        <translation>Nicht erlaubt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User &apos;%1&apos; may not use the schema &apos;%2&apos; of database &apos;%3&apos; as EventScope needs to.</source>
        <translation>Der Benutzer &apos;%1&apos; darf das Schema &apos;%2&apos; der Datenbank &apos;%3&apos; nicht so verwenden, wie EventScope es braucht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the store read-only, or ask the database administrator for the rights to create and use that schema.</source>
        <translation>Öffnen Sie den Speicher schreibgeschützt oder bitten Sie den Datenbankadministrator um die Rechte, dieses Schema anzulegen und zu verwenden.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The restored store needs a repair</source>
        <translation>Der wiederhergestellte Speicher muss repariert werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This store was restored from another PostgreSQL server, and the transaction ids of its events are ahead of this server&apos;s: until they are repaired, nothing that reads all events in commit order (projections, subscriptions, the events list) sees them. The repair writes to the store, which a read-only session does not do.</source>
        <translation>Dieser Speicher wurde von einem anderen PostgreSQL-Server wiederhergestellt, und die Transaktionskennungen seiner Ereignisse liegen vor denen dieses Servers: Bis sie repariert sind, sieht nichts, was alle Ereignisse in Commit-Reihenfolge liest (Projektionen, Abonnements, die Ereignisliste), sie. Die Reparatur schreibt in den Speicher, was eine schreibgeschützte Sitzung nicht tut.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open it once without read-only (as support or developer): EventScope renumbers the transaction ids and keeps the order of the events. Then open it read-only again.</source>
        <translation>Öffnen Sie ihn einmal ohne Schreibschutz (als Support oder Entwickler): EventScope nummeriert die Transaktionskennungen neu und behält die Reihenfolge der Ereignisse bei. Öffnen Sie ihn danach wieder schreibgeschützt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The store needs an upgrade</source>
        <translation>Der Speicher braucht ein Upgrade</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This store uses schema version %1; this EventScope reads version %2. The upgrade writes to the store, which a read-only session does not do.</source>
        <translation>Dieser Speicher verwendet Schemaversion %1; dieses EventScope liest Version %2. Das Upgrade schreibt in den Speicher, was eine schreibgeschützte Sitzung nicht tut.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open it once without read-only (as support or developer) to upgrade it. Older EventScope versions cannot open it afterwards.</source>
        <translation>Öffnen Sie ihn einmal ohne Schreibschutz (als Support oder Entwickler), um das Upgrade durchzuführen. Ältere EventScope-Versionen können ihn danach nicht mehr öffnen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Store from a newer EventScope</source>
        <translation>Speicher eines neueren EventScope</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This store uses schema version %1; this EventScope reads versions up to %2. Nothing was changed.</source>
        <translation>Dieser Speicher verwendet Schemaversion %1; dieses EventScope liest Versionen bis %2. Es wurde nichts geändert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Update EventScope to the version that wrote this store (or newer), then open it again.</source>
        <translation>Aktualisieren Sie EventScope auf die Version, die diesen Speicher geschrieben hat (oder neuer), und öffnen Sie ihn dann erneut.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Database driver missing</source>
        <translation>Datenbanktreiber fehlt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Install the Qt SQL driver package named above, then start EventScope again.</source>
        <translation>Installieren Sie das oben genannte Qt-SQL-Treiberpaket und starten Sie EventScope dann erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PostgreSQL server too old</source>
        <translation>PostgreSQL-Server zu alt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use a PostgreSQL 13 or newer server for the store.</source>
        <translation>Verwenden Sie für den Speicher einen Server mit PostgreSQL 13 oder neuer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not supported here</source>
        <translation>Hier nicht unterstützt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the store on a local disk, or choose another store.</source>
        <translation>Legen Sie den Speicher auf eine lokale Festplatte oder wählen Sie einen anderen Speicher.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not open the store</source>
        <translation>Der Speicher konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the connection settings; the details say what the database reported.</source>
        <translation>Prüfen Sie die Verbindungseinstellungen; die Details sagen, was die Datenbank gemeldet hat.</translation>
    </message>
</context>
<context>
    <name>StreamHistory</name>
    <message>
        <location filename="../core/timetravel/streamhistory.cpp" line="+283"/>
        <source>The aggregate factory made no aggregate for stream &apos;%1&apos;. Check the domain&apos;s registration.</source>
        <translation>Die Aggregat-Factory hat für den Stream &apos;%1&apos; kein Aggregat erzeugt. Prüfen Sie die Registrierung der Domäne.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The history of stream &apos;%1&apos; was given an event of stream &apos;%2&apos; at version %3. Read the events of one stream only.</source>
        <translation>Der Verlauf des Streams &apos;%1&apos; hat ein Ereignis des Streams &apos;%2&apos; bei Version %3 erhalten. Lesen Sie die Ereignisse nur eines Streams.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stream &apos;%1&apos; has no event at version %2 (the next one given is at version %3), so no state can be computed from there on. Read the stream from version 0 without gaps.</source>
        <translation>Der Stream &apos;%1&apos; hat kein Ereignis bei Version %2 (das nächste gegebene ist bei Version %3), daher kann ab dort kein Zustand berechnet werden. Lesen Sie den Stream ab Version 0 ohne Lücken.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The payload of event %1 (%2) at version %3 of stream &apos;%4&apos; is not a JSON object, so it cannot be merged into the state. Inspect the event&apos;s raw payload.</source>
        <translation>Die Nutzdaten des Ereignisses %1 (%2) bei Version %3 des Streams &apos;%4&apos; sind kein JSON-Objekt und können daher nicht in den Zustand übernommen werden. Untersuchen Sie die rohen Nutzdaten des Ereignisses.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>State of the aggregate (from its domain&apos;s apply)</source>
        <translation>Zustand des Aggregats (aus apply seiner Domäne)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generic state: a JSON merge of the event payloads (no registered domain)</source>
        <translation>Generischer Zustand: ein JSON-Zusammenführen der Nutzdaten der Ereignisse (keine registrierte Domäne)</translation>
    </message>
</context>
<context>
    <name>UserAggregate</name>
    <message>
        <location filename="../core/samples/user/useraggregate.cpp" line="+24"/>
        <location line="+46"/>
        <location line="+10"/>
        <source>The user %1 does not exist. Create it first.</source>
        <translation>Der Benutzer %1 existiert nicht. Legen Sie ihn zuerst an.</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>The user %1 is deactivated. Reactivate it first.</source>
        <translation>Der Benutzer %1 ist deaktiviert. Reaktivieren Sie ihn zuerst.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The user %1 exists already. Choose another id.</source>
        <translation>Der Benutzer %1 existiert bereits. Wählen Sie eine andere ID.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+13"/>
        <source>A user needs a first and a last name.</source>
        <translation>Ein Benutzer braucht einen Vor- und einen Nachnamen.</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+23"/>
        <source>&quot;%1&quot; is not an e-mail address. Give one like name@example.com.</source>
        <translation>„%1“ ist keine E-Mail-Adresse. Geben Sie eine wie name@example.com an.</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>The user %1 has this name already.</source>
        <translation>Der Benutzer %1 hat diesen Namen bereits.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The user %1 has this e-mail address already.</source>
        <translation>Der Benutzer %1 hat diese E-Mail-Adresse bereits.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The user %1 is deactivated already.</source>
        <translation>Der Benutzer %1 ist bereits deaktiviert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The user %1 is active already.</source>
        <translation>Der Benutzer %1 ist bereits aktiv.</translation>
    </message>
</context>
<context>
    <name>UserListProjection</name>
    <message>
        <location filename="../core/samples/user/userlistprojection.cpp" line="+36"/>
        <source>Users with their names, e-mail addresses and whether they are active.</source>
        <translation>Benutzer mit Namen, E-Mail-Adressen und ob sie aktiv sind.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>The payload of event %1 cannot be read.</source>
        <translation>Die Nutzdaten des Ereignisses %1 können nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 at position %2 (stream %3) has no %4 (payload field &quot;%5&quot;), which the users read model needs. Fix whatever wrote it; then skip this event, or retry it once it can be read.</source>
        <translation>%1 an Position %2 (Stream %3) hat kein(e) %4 (Nutzdatenfeld „%5“), das das Lesemodell der Benutzer braucht. Beheben Sie die Ursache beim Schreiber; überspringen Sie dann dieses Ereignis oder wiederholen Sie es, sobald es lesbar ist.</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+19"/>
        <source>first name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+19"/>
        <source>last name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+23"/>
        <source>e-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Writing the users read model failed.</source>
        <translation>Das Schreiben des Lesemodells der Benutzer ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>UserModule</name>
    <message>
        <location filename="../core/samples/user/usermodule.cpp" line="+41"/>
        <source>The command or query %1 has a handler already.</source>
        <translation>Der Befehl oder die Abfrage %1 hat bereits einen Handler.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Given name.</source>
        <translation>Vorname.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Family name.</source>
        <translation>Nachname.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail address, like name@example.com.</source>
        <translation>E-Mail-Adresse, etwa name@example.com.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Creates a user with a name and an e-mail address.</source>
        <translation>Legt einen Benutzer mit einem Namen und einer E-Mail-Adresse an.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Gives an active user a new name.</source>
        <translation>Gibt einem aktiven Benutzer einen neuen Namen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Gives an active user a new e-mail address.</source>
        <translation>Gibt einem aktiven Benutzer eine neue E-Mail-Adresse.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deactivates a user; the reason is kept in the event (else the command&apos;s reason).</source>
        <translation>Deaktiviert einen Benutzer; der Grund wird im Ereignis festgehalten (sonst der Grund des Befehls).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why.</source>
        <translation>Warum.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reactivates a deactivated user.</source>
        <translation>Reaktiviert einen deaktivierten Benutzer.</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>There is no user %1 (not found in the users read model). Check the id; a user created just now appears once the projection has caught up.</source>
        <translation>Es gibt keinen Benutzer %1 (nicht im Lesemodell der Benutzer gefunden). Prüfen Sie die ID; ein gerade angelegter Benutzer erscheint, sobald die Projektion aufgeholt hat.</translation>
    </message>
</context>
<context>
    <name>eventscope</name>
    <message>
        <location filename="../app/eventscope/main.cpp" line="+58"/>
        <source>EventScope cannot start</source>
        <translation>EventScope kann nicht starten</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Desktop admin and event explorer for event-sourced systems.</source>
        <translation>Desktop-Administration und Ereignis-Explorer für Event-Sourcing-Systeme.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Event store to open: a SQLite file, or a PostgreSQL connection string (postgres://user@host/db or &quot;host=… dbname=…&quot;). Default: the configuration&apos;s store, else %1.</source>
        <translation>Zu öffnender Event-Store: eine SQLite-Datei oder eine PostgreSQL-Verbindungszeichenkette (postgres://user@host/db oder &quot;host=… dbname=…&quot;). Standard: der Speicher der Konfiguration, sonst %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Explore a freshly generated demo store (users and accounts); it is recreated on every start.</source>
        <translation>Einen frisch generierten Demo-Speicher (Benutzer und Konten) erkunden; er wird bei jedem Start neu angelegt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Configuration file (YAML) for the event store and logging.</source>
        <translation>Konfigurationsdatei (YAML) für den Event-Store und die Protokollierung.</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+11"/>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>trace, debug, info, warn, error, critical or off. Default: the configuration&apos;s level, else info.</source>
        <translation>trace, debug, info, warn, error, critical oder off. Standard: die Stufe der Konfiguration, sonst info.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open stores read-only: nothing is created, migrated or appended.</source>
        <translation>Speicher schreibgeschützt öffnen: nichts wird angelegt, migriert oder angehängt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your role: auditor (read-only), support or developer. Default: auditor, or the configuration&apos;s gui.role, which cannot be overridden.</source>
        <translation>Ihre Rolle: auditor (Prüfer, nur lesen), support (Support) oder developer (Entwickler). Standard: auditor oder gui.role der Konfiguration, die nicht überschrieben werden kann.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save a picture of the window to this file once data has loaded, then quit.</source>
        <translation>Ein Bild des Fensters in dieser Datei speichern, sobald die Daten geladen sind, dann beenden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language of the user interface, e.g. en or de. Default: the system&apos;s language.</source>
        <translation>Sprache der Benutzeroberfläche, z. B. en oder de. Standard: die Sprache des Systems.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unknown language &apos;%1&apos;. Use a language code such as en or de.</source>
        <translation>Unbekannte Sprache &apos;%1&apos;. Verwenden Sie einen Sprachcode wie en oder de.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The configuration file has errors. Fix them and start EventScope again.

%1</source>
        <translation>Die Konfigurationsdatei enthält Fehler. Beheben Sie sie und starten Sie EventScope erneut.

%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Unknown log level &apos;%1&apos;. Use trace, debug, info, warn, error, critical or off.</source>
        <translation>Unbekannte Protokollstufe &apos;%1&apos;. Verwenden Sie trace, debug, info, warn, error, critical oder off.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Unknown role &apos;%1&apos;. Use auditor, support or developer.</source>
        <translation>Unbekannte Rolle &apos;%1&apos;. Verwenden Sie auditor, support oder developer.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Creating a demo store with %1 events…</source>
        <translation>Demo-Speicher mit %1 Ereignissen wird angelegt…</translation>
    </message>
</context>
</TS>
