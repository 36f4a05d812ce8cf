var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/_tenant/about", () => "todo");
app.Run();
