using FaceCluster.Engine.Store;
using Npgsql;

namespace FaceCluster.Engine.Tests.Store;

public sealed class PostgresConnectionStringTests
{
    [Theory]
    [InlineData("postgresql://db.example/faces", true)]
    [InlineData("POSTGRES://u:p@db.example:6543/faces?sslmode=require", true)]
    [InlineData("Host=db.example;Database=faces", true)]
    [InlineData("server=db.example; database=faces", true)]
    [InlineData("faces.db", false)]
    [InlineData("/srv/faces=old.db", false)]
    [InlineData("C:\\Sorted\\faces.db", false)]
    [InlineData("Database=faces", false)]
    public void Tells_a_connection_string_from_a_file_path(string store, bool expected)
    {
        Assert.Equal(expected, PostgresEncodingStore.IsConnectionString(store));
    }

    [Fact]
    public void Reads_a_uri_with_credentials_port_and_tls()
    {
        var builder = PostgresConnectionString.Parse("postgresql://fc%40corp:p%3Ass@db.example:6543/my%20faces?sslmode=verify-full&connect_timeout=7");

        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("my faces", builder.Database);
        Assert.Equal("fc@corp", builder.Username);
        Assert.Equal("p:ss", builder.Password);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal(7, builder.Timeout);
        Assert.Equal("postgresql://db.example:6543/my faces", PostgresConnectionString.Describe(builder));
    }

    [Theory]
    [InlineData("postgresql://user:s3cret-pass@db.example/faces?nosuchsetting=1")]
    [InlineData("Host=db.example;Password=s3cret-pass;No Such Setting=1")]
    public void Never_repeats_the_string_when_it_cannot_read_it(string connectionString)
    {
        var error = Assert.Throws<EncodingStoreException>(() => PostgresConnectionString.Parse(connectionString));

        Assert.Equal(EncodingStoreProblem.Unusable, error.Problem);
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }
}
