@echo off
rem Runs Leakscope's logscan from the jar that "mvn -q package" puts beside this script.
setlocal
set "JAR=%~dp0leakscope.jar"
if not exist "%JAR%" (
  echo logscan: %JAR% is missing; build it first with: mvn -q package -DskipTests 1>&2
  exit /b 2
)
set "JAVA_EXE=java"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java"
set "CDS="
if exist "%~dp0.leakscope.jsa" set "CDS=-XX:SharedArchiveFile=%~dp0.leakscope.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
"%JAVA_EXE%" %CDS% -Xshare:auto -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.3 -XX:+UseParallelGC -XX:InitialRAMPercentage=8 %LEAKSCOPE_JAVA_OPTS% -cp "%JAR%" org.leakscope.cli.Main logscan %*
exit /b %ERRORLEVEL%
