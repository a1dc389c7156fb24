import CSPFixtures
print("csp-fixtures")
