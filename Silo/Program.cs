using Events.Silo.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddEventsSilo();
await builder.Build().RunAsync();
