# One image for both programs: `desktop-operator operator ...` and `desktop-operator gateway ...` (the chart passes
# the command as the first argument). Build from the repository root:
#   docker build -t desktop-operator:0.1.0 .
# Stage 1 publishes the app self-contained (no .NET runtime needed in the final image); stage 2 is the small
# runtime-deps base (libc, OpenSSL, CA certificates) with the app, run as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/DesktopOperator/DesktopOperator.csproj -c Release -r linux-x64 --self-contained \
        -o /app -nologo \
    && rm -f /app/*.pdb /app/*.xml

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS final
WORKDIR /app
COPY --from=build /app ./
# A numeric non-root user (the chart's securityContext uses the same one); the root filesystem may be read-only:
# the programs write nothing outside /tmp (an emptyDir in the chart).
USER 65532:65532
ENV HOME=/tmp \
    TMPDIR=/tmp
# 8080: the gateway's /metrics /healthz /readyz, 8081: the operator's; pool gateway ports come from the pools.
EXPOSE 8080 8081
ENTRYPOINT ["/app/desktop-operator"]
CMD ["--help"]
