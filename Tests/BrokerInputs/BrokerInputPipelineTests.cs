using System.Text.Json;
using Events.Tests.Infrastructure;

namespace Events.Tests.BrokerInputs;

/// <summary>
/// Other services' JSON, published to the real exchanges with the real routing keys (under the pipeline's own names),
/// read back from ClickHouse and PostgreSQL behind real silo and Api processes.
/// </summary>
public sealed class BrokerInputPipelineTests(BrokerInputFixture inputs) : IClassFixture<BrokerInputFixture>
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task TraceLog_PublishedToIdentityDx_LandsInTraceLog_WithTypedColumns()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        await inputs.PublishAsync("trace_log", $$"""
            {"hostName":"api-7","serviceName":"identity-{{_run}}","timeTaken":123,"method":"POST","uri":"/v1/login",
             "statusCode":201,"traceId":"tr-{{_run}}","userId":42,"timestamp":{{at}}}
            """);

        var row = (await inputs.RowsAsync("trace_log", $"service_name = 'identity-{_run}'")).Single();
        Assert.Equal("api-7", Text(row, "host_name"));
        Assert.Equal("123", Text(row, "time_taken"));
        Assert.Equal("POST", Text(row, "method"));
        Assert.Equal("/v1/login", Text(row, "uri"));
        Assert.Equal("201", Text(row, "status_code"));
        Assert.Equal($"tr-{_run}", Text(row, "trace_id"));
        Assert.Equal("42", Text(row, "user_id"));
        Assert.Equal("trace_log", Text(row, "event_name"));
        Assert.Equal(at * 1000, row.GetProperty("ts_ms").GetInt64());
        Assert.Contains($"\"traceId\":\"tr-{_run}\"", Text(row, "raw"));
    }

    [Fact]
    public async Task PostLogEvents_AnArrayPublishedToBeatDx_IsOneRowPerObject()
    {
        var objects = Enumerable.Range(0, 3).Select(i =>
            $$"""{"postId":"p-{{_run}}-{{i}}","profileId":"pr-{{_run}}","platform":"instagram","postType":"reel","likes":{{i * 10}},"comments":{{i}},"views":{{1000 + i}},"timestamp":"2025-03-04T05:06:07.089Z"}""");
        await inputs.PublishAsync("post_log_event", $"[{string.Join(",", objects)}]");

        var rows = await inputs.RowsAsync("post_log_event", $"profile_id = 'pr-{_run}'", expected: 3);
        Assert.Equal([$"p-{_run}-0", $"p-{_run}-1", $"p-{_run}-2"], rows.Select(r => Text(r, "post_id")).Order());
        var second = rows.Single(r => Text(r, "post_id") == $"p-{_run}-1");
        Assert.Equal("instagram", Text(second, "platform"));
        Assert.Equal("reel", Text(second, "post_type"));
        Assert.Equal("10", Text(second, "likes"));
        Assert.Equal("1001", Text(second, "views"));
        Assert.Equal("post_log_events", Text(second, "event_name"));
        Assert.Equal(DateTimeOffset.Parse("2025-03-04T05:06:07.089Z").ToUnixTimeMilliseconds(), second.GetProperty("ts_ms").GetInt64());
        Assert.Equal(3, rows.Select(r => Text(r, "event_id")).Distinct().Count());
    }

    [Fact]
    public async Task AbAssignment_PublishedToAbDx_LandsInAbAssignment()
    {
        var at = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds();
        await inputs.PublishAsync("ab_assignment",
            $$"""{"experiment":"checkout-{{_run}}","variant":"B","userId":"u-{{_run}}","deviceId":"d-{{_run}}","timestamp":{{at}}}""");

        var row = (await inputs.RowsAsync("ab_assignment", $"experiment = 'checkout-{_run}'")).Single();
        Assert.Equal("B", Text(row, "variant"));
        Assert.Equal($"u-{_run}", Text(row, "user_id"));
        Assert.Equal($"d-{_run}", Text(row, "device_id"));
        Assert.Equal("ab_assignments", Text(row, "event_name"));
        Assert.Equal(at, row.GetProperty("ts_ms").GetInt64());
    }

    [Fact]
    public async Task CreateUserAccount_LandsInPostgresUserAccount_OnceHoweverOftenItIsSent()
    {
        var userId = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);
        var account = $$"""{"user_id":{{userId}},"name":"Asha {{_run}}","email":"{{_run}}@example.com","phone":"+911234567890","referral_code":"REF{{_run}}","source":"android","created_at":"2025-01-02T03:04:05Z"}""";

        await inputs.PublishAsync("user_account", account);
        await inputs.PublishAsync("user_account", account); // republished by its service
        await inputs.PublishAsync("user_account", account.Replace("Asha", "Asha K")); // the same account sent again, edited
        await inputs.PublishAsync("user_account", $$"""{"user_id":{{userId + 1}},"name":"marker {{_run}}"}""");

        // One stream: the marker account is stored only after every copy before it was.
        await AccountsAsync($"user_id = {userId + 1}", expected: 1);
        var row = (await AccountsAsync($"user_id = {userId}", expected: 1)).Single();
        Assert.Equal(userId.ToString(), row["event_id"]);
        Assert.Contains((string)row["name"]!, new[] { $"Asha {_run}", $"Asha K {_run}" });
        Assert.Equal($"{_run}@example.com", row["email"]);
        Assert.Equal("+911234567890", row["phone"]);
        Assert.Equal($"REF{_run}", row["referral_code"]);
        Assert.Equal("android", row["signup_source"]);
        Assert.Equal(DateTime.Parse("2025-01-02T03:04:05Z").ToUniversalTime(), ((DateTime)row["created_at"]!).ToUniversalTime());
        Assert.Contains($"{_run}@example.com", (string)row["payload"]!);
    }

    [Fact]
    public async Task RepublishedTraceLog_IsStoredOnce()
    {
        var log = $$"""{"hostName":"api-1","serviceName":"dup-{{_run}}","timeTaken":7}""";

        await inputs.PublishAsync("trace_log", log);
        await inputs.PublishAsync("trace_log", log);
        await inputs.PublishAsync("trace_log", $$"""{"hostName":"api-1","serviceName":"after-dup-{{_run}}","timeTaken":8}""");

        await inputs.RowsAsync("trace_log", $"service_name = 'after-dup-{_run}'");
        var copies = await inputs.Pipeline.ClickHouse.ExecuteAsync(
            $"SELECT count(), uniqExact(event_id) FROM `{inputs.Pipeline.Database}`.trace_log FINAL WHERE service_name = 'dup-{_run}'");
        Assert.Equal("1\t1", copies.Trim());
    }

    [Fact]
    public async Task NonJsonMessage_IsDeadLetteredWithItsReason_AndDoesNotBlockTheNextMessage()
    {
        var garbage = $"<trace>{_run}</trace>";

        await inputs.PublishAsync("trace_log", garbage);
        await inputs.PublishAsync("trace_log", $$"""{"hostName":"api-2","serviceName":"after-garbage-{{_run}}","timeTaken":9}""");

        await inputs.RowsAsync("trace_log", $"service_name = 'after-garbage-{_run}'");
        var letter = (await inputs.DeadLettersAsync("trace_log", m => m.Text == garbage)).Single();
        Assert.StartsWith("not JSON", letter.Headers["x-events-reason"]);
        Assert.Equal("trace_log", letter.Headers["x-events-routing-key"]);
        Assert.Equal(inputs.Inputs.Exchange("identity.dx"), letter.Headers["x-events-exchange"]);
    }

    [Fact]
    public async Task AccountWithoutItsUserId_IsDeadLetteredWithTheMissingField()
    {
        var account = $$"""{"name":"nobody {{_run}}","email":"nobody@example.com"}""";

        await inputs.PublishAsync("user_account", account);

        var letter = (await inputs.DeadLettersAsync("user_account", m => m.Text == account)).Single();
        Assert.Equal("missing required field 'user_id'", letter.Headers["x-events-reason"]);
    }

    [Fact]
    public async Task EveryConfiguredClickHouseInput_StoresWhatItsServicePublishes()
    {
        var clickHouseInputs = BrokerInputNames.Configured.Where(input => input.Table != "user_account").ToList();
        foreach (var input in clickHouseInputs)
        {
            await inputs.PublishAsync(input.Table, $$"""{"marker":"{{_run}}-{{input.Table}}"}""");
        }

        foreach (var input in clickHouseInputs)
        {
            var row = (await inputs.RowsAsync(input.Table, $"position(raw, '{_run}-{input.Table}') > 0")).Single();
            Assert.Equal(input.RoutingKeys[0], Text(row, "event_name"));
        }
    }

    private async Task<List<Dictionary<string, object?>>> AccountsAsync(string where, int expected) =>
        await Eventually.Until(
            () => PostgresQuery.RowsAsync($"SELECT * FROM \"{inputs.Pipeline.PostgresSchema}\".user_account WHERE {where}"),
            rows => rows.Count >= expected, TimeSpan.FromSeconds(60),
            rows => $"expected {expected} user_account rows where {where}, found {rows.Count}\n{inputs.Pipeline.Logs()}");

    private static string Text(JsonElement row, string column)
    {
        var value = row.GetProperty(column);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
