module webserver-volume-access

go 1.24
