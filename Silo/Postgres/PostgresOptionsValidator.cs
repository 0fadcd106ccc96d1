using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Events.Silo.Postgres;

/// <summary>Lists every problem with <c>Events:Postgres</c>; never echoes the connection string (it holds the password).</summary>
internal sealed partial class PostgresOptionsValidator : IValidateOptions<PostgresOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresOptions options)
    {
        var problems = new List<string>();
        if (Parse(options.ConnectionString, out var error) is { } connection)
        {
            if (string.IsNullOrWhiteSpace(connection.Host))
            {
                problems.Add("Events:Postgres:ConnectionString names no Host.");
            }
            if (string.IsNullOrWhiteSpace(connection.Database))
            {
                problems.Add("Events:Postgres:ConnectionString names no Database.");
            }
        }
        else
        {
            problems.Add($"Events:Postgres:ConnectionString is not an Npgsql connection string: {error}");
        }
        if (!SchemaName().IsMatch(options.Schema))
        {
            problems.Add($"Events:Postgres:Schema '{options.Schema}' must be 1 to 63 lower-case letters, digits and underscores, not starting with a digit.");
        }
        if (options.CommandTimeout <= TimeSpan.Zero)
        {
            problems.Add("Events:Postgres:CommandTimeout must be positive.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static NpgsqlConnectionStringBuilder? Parse(string connectionString, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "it is empty.";
            return null;
        }
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            // These name the keyword or position at fault, not the values.
            error = ex.Message;
            return null;
        }
    }

    // Lower case only: PostgreSQL folds unquoted names to lower case, so analysts can type the name unquoted.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
