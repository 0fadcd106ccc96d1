using Events.Silo.Hosting;
using Events.Silo.Metrics;

var builder = Host.CreateApplicationBuilder(args);
builder.AddEventsMetrics();
builder.AddEventsSilo();
await builder.Build().RunAsync();
