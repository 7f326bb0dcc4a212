module my-html-server

go 1.24
