# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022@sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f
# expect: DF005
ADD app.zip C:\app\
RUN powershell -Command `
    Expand-Archive C:\app\app.zip -DestinationPath C:\app
HEALTHCHECK NONE
USER ContainerUser
