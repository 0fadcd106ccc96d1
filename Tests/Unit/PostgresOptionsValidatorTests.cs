using Events.Silo.Postgres;

namespace Events.Tests.Unit;

public sealed class PostgresOptionsValidatorTests
{
    private static readonly PostgresOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.True(Validator.Validate(null, new PostgresOptions()).Succeeded);
    }

    [Fact]
    public void Validate_ListsEveryProblem_WithoutEchoingTheConnectionString()
    {
        var result = Validator.Validate(null, new PostgresOptions
        {
            ConnectionString = "Host=db;Pasword=s3cret-value;Database=events",
            Schema = "Events-1",
            CommandTimeout = TimeSpan.Zero,
        });

        Assert.False(result.Succeeded);
        var problems = result.Failures!.ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Events:Postgres:ConnectionString is not an Npgsql connection string"));
        Assert.Contains(problems, p => p.Contains("Events:Postgres:Schema 'Events-1'"));
        Assert.Contains(problems, p => p.Contains("CommandTimeout"));
        Assert.DoesNotContain(problems, p => p.Contains("s3cret-value"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Port=5432;Username=events;Database=events")]
    [InlineData("Host=127.0.0.1;Username=events")]
    public void Validate_ConnectionStringWithoutHostOrDatabase_IsRefused(string connectionString)
    {
        var result = Validator.Validate(null, new PostgresOptions { ConnectionString = connectionString });

        Assert.False(result.Succeeded);
        Assert.Single(result.Failures!, p => p.StartsWith("Events:Postgres:ConnectionString"));
    }

    [Theory]
    [InlineData("events", true)]
    [InlineData("t_0a1b2c", true)]
    [InlineData("_x", true)]
    [InlineData("Events", false)]
    [InlineData("1events", false)]
    [InlineData("events;drop", false)]
    [InlineData("", false)]
    public void Validate_Schema_MustBeAPlainLowerCaseName(string schema, bool valid)
    {
        Assert.Equal(valid, Validator.Validate(null, new PostgresOptions { Schema = schema }).Succeeded);
    }
}
