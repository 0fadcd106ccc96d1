using Events.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddEventsApi();
var app = builder.Build();
app.MapEventsApi();
app.Run();
