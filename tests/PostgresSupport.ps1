# Dot-sourced by the PostgreSQL store's tests: a real PostgreSQL 15 server (Debian's postgresql-15) in a temporary
# data folder on 127.0.0.1 at a free port, with password logins. initdb and postgres refuse to run as root: as
# root they run as the unprivileged user postgres (which the Debian package creates).
$script:PostgresBin = if ($env:FACECLUSTER_PGBIN) { $env:FACECLUSTER_PGBIN } else { '/usr/lib/postgresql/15/bin' }

function Invoke-AsPostgresUser([string] $Program, [string[]] $Arguments) {
    $exe = Join-Path $PostgresBin $Program
    $output = if ((id -u) -eq '0') { & runuser -u postgres -- $exe @Arguments 2>&1 } else { & $exe @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "$Program failed ($LASTEXITCODE): $($output | Out-String)" }
}

function Get-FreePort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-TestPostgres {
    # Returns the server: its folder, port, superuser password and a connection string maker.
    if (-not (Test-Path -LiteralPath (Join-Path $PostgresBin 'initdb'))) {
        throw "The PostgreSQL store's tests need postgresql-15 at $PostgresBin (Debian: apt-get install postgresql-15); see README.md, Set-up."
    }
    $folder = Join-Path ([IO.Path]::GetTempPath()) "facecluster-pg-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $folder
    if ((id -u) -eq '0') { & chown postgres $folder }
    $password = "pw-$([guid]::NewGuid().ToString('N'))"
    $pwfile = Join-Path $folder 'pwfile'
    Set-Content -LiteralPath $pwfile -Value $password -NoNewline
    if ((id -u) -eq '0') { & chown postgres $pwfile }
    Invoke-AsPostgresUser initdb @('-D', "$folder/data", '-U', 'postgres', '--auth=scram-sha-256', "--pwfile=$pwfile", '-E', 'UTF8', '--no-sync')
    $server = [pscustomobject]@{ Folder = $folder; Port = (Get-FreePort); Password = $password }
    Start-PostgresServer $server
    $server
}

function Start-PostgresServer($Server) {
    $options = "-p $($Server.Port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=$($Server.Folder) -c fsync=off"
    Invoke-AsPostgresUser pg_ctl @('-D', "$($Server.Folder)/data", '-l', "$($Server.Folder)/log", '-o', $options, '-w', 'start')
}

function Stop-PostgresServer($Server) {
    Invoke-AsPostgresUser pg_ctl @('-D', "$($Server.Folder)/data", '-m', 'fast', '-w', 'stop')
}

function Remove-TestPostgres($Server) {
    if (-not $Server) { return }
    try { Stop-PostgresServer $Server } catch { Write-Warning $_ }
    Remove-Item -LiteralPath $Server.Folder -Recurse -Force
}

function Invoke-Psql($Server, [string] $Sql, [string] $Database = 'postgres') {
    # One statement through psql as the superuser; its rows, unaligned.
    $env:PGPASSWORD = $Server.Password
    try {
        $rows = & (Join-Path $PostgresBin 'psql') -h 127.0.0.1 -p $Server.Port -U postgres -d $Database -X -q -t -A -v ON_ERROR_STOP=1 -c $Sql 2>&1
        if ($LASTEXITCODE -ne 0) { throw "psql failed: $rows" }
        $rows
    }
    finally { Remove-Item Env:PGPASSWORD }
}

function New-TestDatabase($Server) {
    # A fresh database; its connection string (with the password).
    $name = "faces_$([guid]::NewGuid().ToString('N').Substring(0, 12))"
    $null = Invoke-Psql $Server "CREATE DATABASE $name"
    "postgresql://postgres:$($Server.Password)@127.0.0.1:$($Server.Port)/$name"
}

function Enable-PostgresTls($Server) {
    # Turns TLS on (a self-signed certificate, by reload) and adds the role tls_only, with the superuser's password,
    # which pg_hba.conf admits over TLS only.
    $cert = Join-Path $Server.Folder 'server.crt'
    $key = Join-Path $Server.Folder 'server.key'
    & openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj '/CN=127.0.0.1' -keyout $key -out $cert 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not make a certificate' }
    if ((id -u) -eq '0') { & chown postgres $cert $key }
    & chmod 600 $key
    $hba = Join-Path $Server.Folder 'data/pg_hba.conf'
    $rules = "hostssl all tls_only 127.0.0.1/32 scram-sha-256`nhost all tls_only 127.0.0.1/32 reject`n"
    [IO.File]::WriteAllText($hba, $rules + [IO.File]::ReadAllText($hba))
    $null = Invoke-Psql $Server "CREATE ROLE tls_only LOGIN SUPERUSER PASSWORD '$($Server.Password)'"
    $null = Invoke-Psql $Server "ALTER SYSTEM SET ssl_cert_file = '$cert'"
    $null = Invoke-Psql $Server "ALTER SYSTEM SET ssl_key_file = '$key'"
    $null = Invoke-Psql $Server "ALTER SYSTEM SET ssl = on"
    $null = Invoke-Psql $Server 'SELECT pg_reload_conf()'
}

function Start-Psql($Server, [string] $Sql, [string] $Database) {
    # psql running $Sql as the superuser in the background, as another client would: the process.
    $info = [Diagnostics.ProcessStartInfo]::new((Join-Path $PostgresBin 'psql'))
    foreach ($a in '-h', '127.0.0.1', '-p', "$($Server.Port)", '-U', 'postgres', '-d', $Database, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', $Sql) {
        $info.ArgumentList.Add($a)
    }
    $info.Environment['PGPASSWORD'] = $Server.Password
    $info.RedirectStandardOutput = $true
    [Diagnostics.Process]::Start($info)
}

function Get-PostgresServerCpu($Server) {
    # CPU seconds of the server so far: the postmaster with its reaped backends, and the backends still running.
    $postmaster = (Get-Content -LiteralPath "$($Server.Folder)/data/postmaster.pid" -TotalCount 1).Trim()
    $ticks = 0L
    foreach ($stat in Get-ChildItem /proc -Directory -ErrorAction SilentlyContinue | Where-Object Name -Match '^\d+$') {
        $fields = try { ([IO.File]::ReadAllText("$($stat.FullName)/stat") -replace '^.*\) ', '').Split(' ') } catch { continue }
        if ($stat.Name -eq $postmaster) { $ticks += [long] $fields[11] + [long] $fields[12] + [long] $fields[13] + [long] $fields[14] }
        elseif ($fields[1] -eq $postmaster) { $ticks += [long] $fields[11] + [long] $fields[12] }
    }
    $ticks / 100.0 # USER_HZ
}
