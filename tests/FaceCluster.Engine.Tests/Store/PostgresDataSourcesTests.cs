using FaceCluster.Engine.Store;

namespace FaceCluster.Engine.Tests.Store;

// No server needed: a data source connects only when asked for a connection.
public sealed class PostgresDataSourcesTests
{
    private const string Store = "Host=db.example;Port=5432;Database=faces;Username=fc;Password=first";

    [Fact]
    public void Gives_the_same_data_source_to_the_same_string()
    {
        Assert.Same(PostgresDataSources.Get(Store), PostgresDataSources.Get(Store));
    }

    [Theory]
    [InlineData("Host=db.example;Port=5432;Database=faces;Username=fc;Password=second")]
    [InlineData("Host=db.example;Port=5432;Database=faces;Username=other;Password=first")]
    [InlineData("Host=db.example;Port=5432;Database=other;Username=fc;Password=first")]
    public void Gives_another_data_source_to_another_credential_or_database(string other)
    {
        Assert.NotSame(PostgresDataSources.Get(Store), PostgresDataSources.Get(other));
    }

    [Fact]
    public void Gives_another_data_source_when_the_password_of_the_environment_changed()
    {
        const string bare = "Host=db.example;Port=5432;Database=faces";
        string? saved = Environment.GetEnvironmentVariable("PGPASSWORD");
        try
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", "first");
            var first = PostgresDataSources.Get(bare);
            Environment.SetEnvironmentVariable("PGPASSWORD", "second");
            var second = PostgresDataSources.Get(bare);
            Environment.SetEnvironmentVariable("PGPASSWORD", "first");

            Assert.NotSame(first, second);
            Assert.Same(first, PostgresDataSources.Get(bare));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", saved);
        }
    }
}
