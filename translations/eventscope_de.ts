<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>EventScope</name>
    <message>
        <location filename="../core/bench/storebenchmark.cpp" line="+68"/>
        <location line="+475"/>
        <source>The benchmark could not %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-282"/>
        <source>read the store&apos;s schema</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The store has no es_events table in sqlite_master; the benchmark needs the store&apos;s schema.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>create the raw baseline table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/eventstore/sqlitedialect.cpp" line="+38"/>
        <source>&apos;%1&apos; is not an EventScope store: it is not an SQLite database (%2). Nothing was changed. Choose a store file, or a new file name to create one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventScope::ConfigLoader</name>
    <message>
        <location filename="../core/config/configloader.cpp" line="+379"/>
        <source>a key in %1 is not plain text and is ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the top level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>unknown key %1 is ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unknown key %1 is ignored; did you mean %2?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is set twice (also on line %2); keep one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>a mapping of keys (indented lines below %1:)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>a mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 is %2; expected %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 has no value; expected %2 (or remove the key to use the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>a whole number from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a whole number of at least %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>a number of at least %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a number from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>a duration such as 30s or 100ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a duration such as 30s or 100ms, of at least %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (a number needs a unit: ns, us, ms, s, m or h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>a size above zero, such as 1048576, 512KiB or 1MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>non-empty text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>sqlite or postgres</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>a PostgreSQL URL such as postgres://user:pass@localhost/events or a string such as &quot;host=localhost dbname=events&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a SQLite database file path, or :memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>eventstore.connection is missing; with type postgres it is required, for example connection: &quot;postgres://user:pass@localhost/events&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>full or normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a PostgreSQL schema name (letters, digits and _, not starting with a digit, at most 63 characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+47"/>
        <source>resilience.retry.max_delay (%1) is shorter than resilience.retry.initial_delay (%2); raise max_delay or lower initial_delay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>inmemory or prometheus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>an address such as :9090 or 127.0.0.1:9090</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>an HTTP path starting with /, such as /metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>monitoring.health.timeout (%1) is longer than monitoring.health.check_interval (%2), so checks can overlap; lower the timeout or raise the interval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>one of trace, debug, info, warn, error, critical, off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>the file is not valid YAML: %1. Check the indentation and quoting on this line and the one before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the configuration is %1; expected a mapping of sections such as eventstore:, snapshots:, resilience:, monitoring: and logging:.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>cannot read the configuration: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Configuration file %1 does not exist. Check the path, or start from config.example.yaml.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is a directory, not a configuration file. Pass the path of a .yaml file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot read configuration file %1: %2. Check its permissions.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventScope::DemoSeeder</name>
    <message>
        <location filename="../core/samples/demoseeder.cpp" line="+424"/>
        <source>Demo seeding needs at least one user and one event, and no negative number of accounts (got %1 users, %2 accounts, %3 events).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventScope::EventTableModel</name>
    <message>
        <location filename="../ui/models/eventtablemodel.cpp" line="+249"/>
        <source>%1 local time</source>
        <translation>%1 Ortszeit</translation>
    </message>
    <message>
        <location line="+49"/>
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
        <source>Schema</source>
        <translation>Schema</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recorded at (UTC)</source>
        <translation>Aufgezeichnet (UTC)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event id</source>
        <translation>Event-ID</translation>
    </message>
</context>
<context>
    <name>EventScope::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="+160"/>
        <source>EventScope</source>
        <translation>EventScope</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+201"/>
        <source>No store open</source>
        <translation>Kein Store geöffnet</translation>
    </message>
    <message>
        <location line="-154"/>
        <location line="+169"/>
        <source>Head: %1</source>
        <translation>Kopf: %1</translation>
    </message>
    <message>
        <location line="-154"/>
        <source>Live updates are paused: %1</source>
        <translation>Live-Aktualisierung pausiert: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (read-only) — EventScope</source>
        <translation>%1 (schreibgeschützt) — EventScope</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 — EventScope</source>
        <translation>%1 — EventScope</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Head: …</source>
        <translation>Kopf: …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counting events…</source>
        <translation>Events werden gezählt…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The store could not be opened.</source>
        <translation>Der Store konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not open the event store</source>
        <translation>Event-Store konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open event store</source>
        <translation>Event-Store öffnen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>EventScope stores (*.db *.sqlite *.sqlite3);;All files (*)</source>
        <translation>EventScope-Stores (*.db *.sqlite *.sqlite3);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>All events ($all), in the order they were recorded</source>
        <translation>Alle Events ($all) in der Reihenfolge ihrer Aufzeichnung</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Stream %1</source>
        <translation>Stream %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Payload of %1 (%2 v%3, position %4)</source>
        <translation>Nutzdaten von %1 (%2 v%3, Position %4)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>SQLite</source>
        <translation>SQLite</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · read-only</source>
        <translation> · schreibgeschützt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>1 event</source>
        <translation>1 Event</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%L1 events</source>
        <translation>%L1 Events</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reading the store failed: %1</source>
        <translation>Lesen aus dem Store fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>EventScope::PostgresDialect</name>
    <message>
        <location filename="../core/eventstore/postgresdialect.cpp" line="+200"/>
        <source>appending to stream &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>reading the result of an append</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Event %1 is already stored in stream &apos;%2&apos; at version %3, and this append is not an exact repeat of that one. Event ids are unique: give new events new ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The PostgreSQL connection string is not valid: %1. Use a URL such as postgres://user:password@localhost:5432/events?sslmode=disable or key=value pairs such as &quot;host=localhost port=5432 dbname=events user=me&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>it is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the database name &apos;%1&apos; contains &apos;/&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&apos;%1&apos; is not a key=value pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>port &apos;%1&apos; is not a number between 1 and 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>it is neither a postgres:// URL nor key=value pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the port is not between 1 and 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it names no database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Could not ask the PostgreSQL server for its version: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The PostgreSQL server is version %1; EventScope needs PostgreSQL 13 or newer (for xid8 transaction ids).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not set up the PostgreSQL connection (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not inspect the PostgreSQL database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The PostgreSQL schema &apos;%1&apos; holds %2 tables but is not an EventScope store. Nothing was changed. Choose another schema (eventstore.options.schema) or database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The EventScope schema table in &apos;%1&apos; cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventScope::SqlEventStore</name>
    <message>
        <location filename="../core/eventstore/sqleventstore.cpp" line="+145"/>
        <source>The Qt SQL driver %1 is not installed (install libqt6sql6-%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>There is no store at &apos;%1&apos;. Check the path, or create a new store there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; is a directory. Give the path of a store file, such as %1/eventscope.db.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot create a store at &apos;%1&apos;: the folder &apos;%2&apos; does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>the SQLite store &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the PostgreSQL server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to %1: %2. Check the connection settings and that the server is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>preparing a statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>This store was written by a newer EventScope (schema version %1; this version understands up to %2). Nothing was changed. Open it with a newer EventScope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The database is empty: it holds no EventScope store. Create one first (eventscope-cli seed-demo, or open it without --read-only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This store uses schema version %1 and needs an upgrade to %2, which a read-only session cannot do. Open it once without --read-only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not start the schema upgrade: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Schema migration %1 (%2) failed and was rolled back: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <source>The store is open read-only; nothing can be appended. Reopen it without --read-only to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>An append holds %1 events; at most %2 are allowed in one append. Split it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Event %1 of %2 (&apos;%3&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: its event id is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: its event id %1 appears twice in this append.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>: schema version %1 is not valid; versions start at 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>: its payload is %1 bytes; the limit is %2 bytes (eventstore.options.max_payload_bytes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>: its metadata is %1 bytes; the limit is %2 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+53"/>
        <source>looking up a duplicate event id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A concurrent append stored the same events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Event %1 (number %2 of this append) is already stored in stream &apos;%3&apos; at version %4. Event ids are unique: give new events new ids. Nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A concurrent append used the same event ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+53"/>
        <location line="+101"/>
        <source>reading stream &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-86"/>
        <source>Position %1 is not valid; positions start at 0.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>reading all events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>listing streams</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>counting event types</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>reading the head position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>counting events</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventScope::SqliteDialect</name>
    <message>
        <location filename="../core/eventstore/sqlitedialect.cpp" line="+16"/>
        <source>No SQLite store file was given. Set eventstore.connection to a file path (or :memory:).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Could not set up the SQLite connection (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&apos;%1&apos; is an SQLite database but not an EventScope store: it holds other tables (%2). Nothing was changed. Open an EventScope store, or give a new file name to create one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&apos;%1&apos; has a damaged EventScope schema table: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Could not switch &apos;%1&apos; to write-ahead logging: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&apos;%1&apos; cannot use write-ahead logging (journal mode stays &apos;%2&apos;); is it on a network file system?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Could not start a write transaction: %1. Another program may hold the store locked; try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+28"/>
        <source>checking for a repeated append</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Event %1 is already stored in stream &apos;%2&apos; at version %3, and this append is not an exact repeat of that one. Event ids are unique: give new events new ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>reading the version of stream &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+58"/>
        <source>appending to stream &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>updating stream &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The append to &apos;%1&apos; could not be committed and was rolled back: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventScope::StoreBenchmark</name>
    <message>
        <location filename="../core/bench/storebenchmark.cpp" line="+178"/>
        <source>Every benchmark size must be at least 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not create a temporary directory for the benchmark stores (%1). Set TMPDIR to a writable directory with a few GiB free.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>SQLite in a temporary file, WAL, synchronous=%1; the baselines use the store&apos;s own connection and a copy of the es_events DDL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PostgreSQL: each case in a new schema es_bench_%1_&lt;case&gt;, dropped afterwards; the baselines use the store&apos;s connection and CREATE TABLE … (LIKE es_events INCLUDING ALL).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+80"/>
        <source>a: %1 single-event appends to new streams, then the same rows one per transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <location line="+76"/>
        <location line="+3"/>
        <source>prepare the raw insert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+80"/>
        <source>begin a raw transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-77"/>
        <source>insert a raw row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+87"/>
        <source>commit a raw transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-64"/>
        <source>b: %1 events in appends of %2, then the same rows %2 per transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+57"/>
        <source>insert raw rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+60"/>
        <source>c: %1 writers × %2 appends of %3 events, on their own streams and then on one stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+67"/>
        <source>The shared stream of case c holds %1 events instead of %2: the store lost or duplicated appends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>c: %1 writers on one stream met %2 WrongExpectedVersion conflicts for %3 successful appends and retried each with the reported version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>d: reading a %1-event stream %2 times in pages of %3, then scanning it with plain SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>prepare the raw stream scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>scan the stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Case d read %1 events through the store and %2 with plain SQL, expected %3 each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>e: seeding %1 events in appends of %2 (not measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e: seeding %1 events took %2 s (%3 events/s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>e: catching up over $all with readAll in batches of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>e: catching up over $all with an AllSubscription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The subscription failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The subscription delivered %1 of %2 events within %3 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>e: scanning $all with plain SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>prepare the raw $all scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>scan $all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Case e expected %1 events and got %2 from readAll, %3 from the subscription, %4 from plain SQL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>e: memory figures are the peak growth of resident memory during each catch-up; their baseline is that of the plain forward-only scan (%1 MiB).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e: the peak resident size could not be reset (/proc/self/clear_refs); the memory figures may hide a peak that happened before the phase.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventScope::StreamListModel</name>
    <message>
        <location filename="../ui/models/streamlistmodel.cpp" line="+213"/>
        <source>%1: events recorded from %2 to %3 UTC</source>
        <translation>%1: Events aufgezeichnet von %2 bis %3 UTC</translation>
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
        <translation>Events</translation>
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
    <name>EventStore</name>
    <message>
        <location filename="../core/eventstore/eventstore.cpp" line="+33"/>
        <source>it has no events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is at version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stream &apos;%1&apos; moved on: the append expected %2, but %3. Reload the stream and decide again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+59"/>
        <source>The stream id is empty. Give a name such as &apos;user-42&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The stream id is %1 characters long; at most %2 are allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The stream id &apos;%1&apos; starts with &apos;$&apos;, which is reserved for the store&apos;s own streams such as $all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The stream id &apos;%1&apos; contains &apos;%2&apos;. Use letters, digits and - _ . : @ $ only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>An event has no type. Give it a name such as &apos;UserCreated&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The event type &apos;%1…&apos; is longer than %2 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The event type &apos;%1&apos; must start with a letter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The event type &apos;%1&apos; contains &apos;%2&apos;. Use letters, digits and _ . : - only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/eventstore/sqldialect.cpp" line="+32"/>
        <source>The store failed while %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/eventstore/sqleventstore.cpp" line="-182"/>
        <source>A page size of %1 is not allowed; use 1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.ui" line="+15"/>
        <source>EventScope</source>
        <translation>EventScope</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>No event store is open.

Open an EventScope SQLite store with File › Open store…,
or start EventScope with --demo to explore a generated one.</source>
        <translation>Kein Event-Store geöffnet.

Öffnen Sie einen EventScope-SQLite-Store mit Datei › Store öffnen…
oder starten Sie EventScope mit --demo, um einen erzeugten zu erkunden.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Open store…</source>
        <translation>Store öffnen…</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Opening the event store…</source>
        <translation>Event-Store wird geöffnet…</translation>
    </message>
    <message>
        <location line="+110"/>
        <source>Show every event of the store in the order it was recorded ($all)</source>
        <translation>Alle Events des Stores in der Reihenfolge ihrer Aufzeichnung zeigen ($all)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All events</source>
        <translation>Alle Events</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Show streams whose id starts with this text, or a whole category with &apos;category-*&apos; (e.g. user-*)</source>
        <translation>Streams zeigen, deren ID mit diesem Text beginnt, oder eine ganze Kategorie mit &apos;kategorie-*&apos; (z. B. user-*)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Filter streams: prefix or category-*</source>
        <translation>Streams filtern: Präfix oder kategorie-*</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>No events shown</source>
        <translation>Keine Events angezeigt</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Select an event to see its payload.</source>
        <translation>Wählen Sie ein Event, um seine Nutzdaten zu sehen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Select an event to see its metadata.</source>
        <translation>Wählen Sie ein Event, um seine Metadaten zu sehen.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Open store…</source>
        <translation>Store ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
</context>
</TS>
