# syntax=docker/dockerfile:1
# One build, two images: `portal` (default, last stage) and `simulator` (the standalone simulated Entra tenant).
#   docker build -t b2bportal .                                  # the portal
#   docker build --target simulator -t b2bportal-simulator .     # the simulator
# docker-compose.yml builds both and adds PostgreSQL.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# global.json is left out on purpose: it pins the developers' SDK patch, the image brings its own 10.0 SDK.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/B2BPortal.Web/B2BPortal.Web.csproj src/B2BPortal.Web/
COPY src/B2BPortal.Simulator/B2BPortal.Simulator.csproj src/B2BPortal.Simulator/
# Restore on its own layer so source edits do not download packages again.
RUN dotnet restore src/B2BPortal.Web/B2BPortal.Web.csproj
COPY src/ src/
RUN dotnet publish src/B2BPortal.Web/B2BPortal.Web.csproj -c Release --no-restore -o /app/portal \
 && dotnet publish src/B2BPortal.Simulator/B2BPortal.Simulator.csproj -c Release --no-restore -o /app/simulator

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS simulator
WORKDIR /app
COPY --from=build /app/simulator .
USER $APP_UID
EXPOSE 8081
ENTRYPOINT ["dotnet", "B2BPortal.Simulator.dll", "--urls", "http://0.0.0.0:8081"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS portal
WORKDIR /app
COPY --from=build /app/portal .
# Without ConnectionStrings__Portal the portal keeps its SQLite file here: writable by the non-root user, and a volume.
RUN mkdir -p /app/App_Data && chown "$APP_UID" /app/App_Data
VOLUME /app/App_Data
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "B2BPortal.Web.dll"]
