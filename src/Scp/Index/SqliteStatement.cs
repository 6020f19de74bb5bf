using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// One statement prepared once on a connection and bound by position through SQLite's own API. A
/// <see cref="SqliteCommand"/> execution creates a data reader, walks its statement list and binds each parameter by
/// name through a parameter object: on the store path that was most of the index's CPU per instance, several times
/// what SQLite itself spent on the rows. Errors are <see cref="SqliteException"/>s with SQLite's message, as from a
/// command. Not thread-safe; finalised on <see cref="Dispose"/>, before its connection is closed.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly int[] _slots;

    /// <param name="connection">An open connection.</param>
    /// <param name="sql">One SQL statement.</param>
    /// <param name="parameters">Parameter names (with their prefix) in the order <see cref="Bind"/> takes their values.</param>
    public SqliteStatement(SqliteConnection connection, string sql, params string[] parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _stmt, out _));
        _slots = new int[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            _slots[i] = raw.sqlite3_bind_parameter_index(_stmt, parameters[i]);
            if (_slots[i] != 0) continue;
            _stmt.Dispose(); // finalised now: an unfinalised statement would keep its connection from closing
            throw new ArgumentException($"Parameter {parameters[i]} does not occur in the statement.", nameof(parameters));
        }
    }

    /// <summary>Binds values (string, long, int, double or null) to the parameters named at creation, in that order.</summary>
    public SqliteStatement Bind(params ReadOnlySpan<object?> values)
    {
        if (values.Length != _slots.Length) throw new ArgumentException($"{values.Length} values for {_slots.Length} parameters.", nameof(values));
        for (int i = 0; i < values.Length; i++)
        {
            int slot = _slots[i];
            Check(values[i] switch
            {
                null => raw.sqlite3_bind_null(_stmt, slot),
                string s => raw.sqlite3_bind_text(_stmt, slot, s),
                long l => raw.sqlite3_bind_int64(_stmt, slot, l),
                int n => raw.sqlite3_bind_int(_stmt, slot, n),
                double d => raw.sqlite3_bind_double(_stmt, slot, d),
                var other => throw new ArgumentException($"Cannot bind a {other.GetType().Name}.", nameof(values)),
            });
        }
        return this;
    }

    /// <summary>Steps once: true with a row to read, false when done. Call <see cref="Reset"/> after the last step.</summary>
    public bool Step()
    {
        int rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        // The error is kept by the statement until it is reset; read it first.
        try { Check(rc); }
        finally { raw.sqlite3_reset(_stmt); }
        return false;
    }

    /// <summary>Column <paramref name="i"/> of the current row as a 64-bit integer.</summary>
    public long Int64(int i) => raw.sqlite3_column_int64(_stmt, i);

    /// <summary>Column <paramref name="i"/> of the current row as text (empty for NULL).</summary>
    public string Text(int i) => raw.sqlite3_column_text(_stmt, i).utf8_to_string() ?? "";

    /// <summary>Runs the statement to its end and resets it; returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            while (Step()) { }
            return raw.sqlite3_changes(_db);
        }
        finally { Reset(); }
    }

    /// <summary>Runs the statement, returns the first column of its first row as an integer, and resets it.</summary>
    public long ExecuteInt64()
    {
        try
        {
            if (!Step()) throw new InvalidOperationException("The statement returned no row.");
            return Int64(0);
        }
        finally { Reset(); }
    }

    /// <summary>Ends the statement's run (releasing what it holds) and clears its bindings.</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _stmt.Dispose();
}
