namespace Events.Grains.Tables;

/// <summary>Every sink table the silos know. A new family of tables is a file of schemas added here.</summary>
public static class AllTables
{
    public static IReadOnlyList<TableSchema> List { get; } = [.. EventTables.All, .. ClientTables.All, .. PostgresTables.All, .. WebhookTables.All, .. BrokerInputTables.All];
}
