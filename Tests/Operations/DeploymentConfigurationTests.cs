using System.Text.Json;
using System.Text.RegularExpressions;
using Events.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Events.Tests.Operations;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so what can be checked is checked: it parses, has the
/// services with official images, its ports and <c>Events__…</c> variables agree with the configuration, and
/// docs/configuration.md lists every key of both appsettings.json files.
/// </summary>
public sealed class DeploymentConfigurationTests
{
    private static readonly string Documentation = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "configuration.md"));
    private static readonly Dictionary<string, object> Compose = LoadCompose();
    private static readonly Dictionary<string, string> Api = Flatten("Api/appsettings.json");
    private static readonly Dictionary<string, string> Silo = Flatten("Silo/appsettings.json");

    [Fact]
    public void Compose_HasTheServicesWithOfficialImagesAndOurDockerfiles()
    {
        var services = Map(Compose, "services");
        Assert.StartsWith("rabbitmq:", Text(Map(services, "rabbitmq"), "image"));
        Assert.Contains("management", Text(Map(services, "rabbitmq"), "image"));
        Assert.StartsWith("clickhouse/clickhouse-server:", Text(Map(services, "clickhouse"), "image"));
        Assert.StartsWith("postgres:", Text(Map(services, "postgres"), "image"));
        Assert.StartsWith("redis:", Text(Map(services, "redis"), "image"));
        foreach (var (service, dockerfile) in new[] { ("silo-1", "Silo/Dockerfile"), ("silo-2", "Silo/Dockerfile"), ("api", "Api/Dockerfile") })
        {
            var build = Map(Map(services, service), "build");
            Assert.Equal(dockerfile, Text(build, "dockerfile"));
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, Text(build, "context"), dockerfile)), $"{service}: {dockerfile} is missing");
        }
        foreach (var service in new[] { "rabbitmq", "clickhouse", "postgres", "redis", "api" })
        {
            Assert.True(Map(services, service).ContainsKey("healthcheck"), $"{service} has no health check");
        }
    }

    [Fact]
    public void Compose_PublishedPortsAreTheConfiguredOnes()
    {
        var services = Map(Compose, "services");
        Assert.Contains(Silo["Events:RabbitMq:Port"], Ports(services, "rabbitmq"));
        Assert.Contains(Silo["Events:ClickHouse:Port"], Ports(services, "clickhouse"));
        Assert.Contains(Regex.Match(Silo["Events:Postgres:ConnectionString"], @"Port=(\d+)").Groups[1].Value, Ports(services, "postgres"));
        Assert.Contains(Silo["Events:Cluster:RedisConnectionString"].Split(':')[1], Ports(services, "redis"));
        Assert.Contains(Api["Events:Api:GrpcPort"], Ports(services, "api"));
        Assert.Contains(Api["Events:Api:HttpPort"], Ports(services, "api"));
        var probe = string.Join(' ', ((List<object>)Map(Map(services, "api"), "healthcheck")["test"]).Cast<string>());
        Assert.Contains($":{Api["Events:Api:HttpPort"]}/readyz", probe);
    }

    [Fact]
    public void Compose_EveryEventsVariableNamesADocumentedKey_AndTheExposedApiHasDashboardCredentials()
    {
        var services = Map(Compose, "services");
        var unknown = new List<string>();
        foreach (var (name, service) in services)
        {
            if (((Dictionary<object, object>)service).TryGetValue("environment", out var environment))
            {
                foreach (var key in ((Dictionary<object, object>)environment).Keys.Cast<string>().Where(k => k.StartsWith("Events__", StringComparison.Ordinal)))
                {
                    if (!Documented(key.Replace("__", ":"))) unknown.Add($"{name}: {key}");
                }
            }
        }
        Assert.True(unknown.Count == 0, "not a configuration key (see docs/configuration.md): " + string.Join(", ", unknown));

        var api = (Dictionary<object, object>)Map(Map(services, "api"), "environment");
        Assert.Equal("Redis", api["Events__Cluster__Provider"]);
        Assert.Equal("0.0.0.0", api["Events__Api__ListenAddress"]);
        Assert.True(api.ContainsKey("Events__Dashboard__User") && api.ContainsKey("Events__Dashboard__Password"),
            "the Api listens beyond loopback, so it refuses to start without dashboard credentials");
    }

    [Fact]
    public void Documentation_ListsEveryKeyOfBothAppsettingsFiles()
    {
        var missing = Api.Keys.Concat(Silo.Keys).Distinct().Where(key => !Documented(key)).ToList();
        Assert.True(missing.Count == 0, "docs/configuration.md does not list: " + string.Join(", ", missing));
    }

    // A key is documented when it appears in backquotes, or its list (…:Inputs:0:Queue → …:Inputs) does.
    private static bool Documented(string key)
    {
        var listed = Regex.Replace(key, @":\d+(:.*)?$", "");
        return Documentation.Contains($"`{key}`", StringComparison.Ordinal) || Documentation.Contains($"`{listed}`", StringComparison.Ordinal);
    }

    private static List<string> Ports(Dictionary<object, object> services, string service) =>
        ((List<object>)Map(services, service)["ports"]).Cast<string>().Select(mapping => mapping.Split(':')[^1]).ToList();

    private static Dictionary<object, object> Map(IDictionary<object, object> parent, string key) =>
        parent.TryGetValue(key, out var value) && value is Dictionary<object, object> map ? map : throw new Xunit.Sdk.XunitException($"'{key}' is missing");

    private static Dictionary<object, object> Map(Dictionary<string, object> parent, string key) =>
        (Dictionary<object, object>)parent[key];

    private static string Text(Dictionary<object, object> parent, string key) =>
        parent.TryGetValue(key, out var value) && value is string text ? text : throw new Xunit.Sdk.XunitException($"'{key}' is missing");

    private static Dictionary<string, object> LoadCompose()
    {
        using var reader = new StreamReader(Path.Combine(RepoPaths.Root, "docker-compose.yml"));
        // Merge keys (<<: *silo) as compose applies them.
        return new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<string, string> Flatten(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, file)));
        var keys = new Dictionary<string, string>();
        void Walk(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject()) Walk(property.Value, path.Length == 0 ? property.Name : $"{path}:{property.Name}");
                    break;
                case JsonValueKind.Array:
                    keys[path] = "[list]";
                    break;
                default:
                    keys[path] = element.ToString();
                    break;
            }
        }
        Walk(json.RootElement.GetProperty("Events"), "Events");
        return keys;
    }
}
