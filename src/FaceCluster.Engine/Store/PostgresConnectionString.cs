using Npgsql;

namespace FaceCluster.Engine.Store;

/// <summary>
/// Reads the two forms of a PostgreSQL connection string: libpq's URI (<c>postgresql://user:password@host:port/db?sslmode=require</c>,
/// which Npgsql does not read) and Npgsql's keywords (<c>Host=...;Database=...;SSL Mode=Require</c>). Its errors never
/// repeat the string: it may hold a password.
/// </summary>
public static class PostgresConnectionString
{
    /// <exception cref="EncodingStoreException">The string is neither form, or names an unknown setting.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            return connectionString.Contains("://", StringComparison.Ordinal)
                ? FromUri(new Uri(connectionString))
                : new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException or InvalidOperationException)
        {
            // The exception's own message may quote the string: keep it out (and out of InnerException).
            throw new EncodingStoreException("PostgreSQL", EncodingStoreProblem.Unusable,
                "The -Store connection string cannot be read (" + e.GetType().Name + "). Give a URI such as " +
                "postgresql://host:5432/faces?sslmode=require or keywords such as Host=host;Database=faces;SSL Mode=Require.");
        }
    }

    /// <summary>What messages call the database: <c>postgresql://host:port/database</c>, with no user name or password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static NpgsqlConnectionStringBuilder FromUri(Uri uri)
    {
        if (uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new FormatException("not a postgresql URI");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (uri.Host.Length > 0)
        {
            builder.Host = uri.Host.Trim('[', ']');
        }

        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(parts[0]), value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            switch (key)
            {
                // libpq's names where they differ from Npgsql's keywords.
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "sslcert":
                    builder.SslCertificate = value;
                    break;
                case "sslkey":
                    builder.SslKey = value;
                    break;
                case "connect_timeout":
                    builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    builder[key] = value;
                    break;
            }
        }

        return builder;
    }
}
