using System.Collections;
using System.Collections.Concurrent;
using System.Text;
using Npgsql;

namespace FaceCluster.Engine.Store;

/// <summary>
/// One <see cref="NpgsqlDataSource"/> a process per connection string, as Npgsql recommends: a second run in the same
/// session takes a pooled connection that is already logged in, instead of a new server backend and login. The key is
/// the string with its credential and the PG* environment variables Npgsql falls back on (PGUSER, PGPASSWORD,
/// PGPASSFILE...): another user name or password is another data source, never a connection another one logged in.
/// The data sources live as long as the process; Npgsql closes their idle connections after its ConnectionIdleLifetime.
/// </summary>
internal static class PostgresDataSources
{
    private static readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> Sources = new(StringComparer.Ordinal);

    /// <summary>The data source of <paramref name="connectionString"/> (a complete Npgsql keyword string), made once.</summary>
    public static NpgsqlDataSource Get(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var key = new StringBuilder(connectionString);
        foreach (var (name, value) in Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value))
            .Where(e => e.Item1.StartsWith("PG", StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Item1, StringComparer.Ordinal))
        {
            key.Append('\0').Append(name).Append('=').Append(value);
        }

        return Sources.GetOrAdd(key.ToString(), _ => new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(connectionString)
            // The store uses built-in types only: no loading of the server's type catalogue, a query that the first
            // connection would otherwise make.
            .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
            .Build())).Value;
    }
}
