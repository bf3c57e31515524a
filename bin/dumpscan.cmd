@echo off
rem Runs Leakscope's dumpscan from the jar that "mvn -q package" puts beside this script.
setlocal
set "JAR=%~dp0leakscope.jar"
if not exist "%JAR%" (
  echo dumpscan: %JAR% is missing; build it first with: mvn -q package -DskipTests 1>&2
  exit /b 2
)
set "JAVA_EXE=java"
if defined JAVA_HOME set "JAVA_EXE=%JAVA_HOME%\bin\java"
set "CDS="
if exist "%~dp0.leakscope.jsa" set "CDS=-XX:SharedArchiveFile=%~dp0.leakscope.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
rem --resmon reads every captured byte of a dump: that loop needs the optimizing compiler
set "TUNING=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
echo %* | findstr /C:"--resmon" >nul && set "TUNING=-XX:+UseParallelGC"
"%JAVA_EXE%" %CDS% -Xshare:auto %TUNING% -cp "%JAR%" org.leakscope.cli.Main dumpscan %*
exit /b %ERRORLEVEL%
