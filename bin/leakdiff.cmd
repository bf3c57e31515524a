@echo off
rem Runs Leakscope's leakdiff from the jar that "mvn -q package" puts beside this script.
setlocal
set "JAR=%~dp0leakscope.jar"
if not exist "%JAR%" (
  echo leakdiff: %JAR% is missing; build it first with: mvn -q package -DskipTests 1>&2
  exit /b 2
)
set "JAVA_EXE=java"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java"
set "CDS="
if exist "%~dp0.leakscope.jsa" set "CDS=-XX:SharedArchiveFile=%~dp0.leakscope.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
rem 512 MiB of heap unless LEAKSCOPE_JAVA_OPTS is set; a run that needs more starts again with twice as much
set "HEAP=-Xmx512m -Dleakscope.heap=retry"
if defined LEAKSCOPE_JAVA_OPTS set "HEAP="
"%JAVA_EXE%" %CDS% -Xshare:auto -XX:+UseParallelGC -XX:InitialRAMPercentage=8 %HEAP% %LEAKSCOPE_JAVA_OPTS% -cp "%JAR%" org.leakscope.cli.Main leakdiff %*
exit /b %ERRORLEVEL%
